/* flows.h - the table of open TCP flows: finds a segment's flow, assigns
 * client and server, detects mail protocols, reassembles (tcp.h) what must
 * be kept, and ends flows (FIN/RST after a linger time, idle timeout, port
 * reuse, a full table, end of capture), handing each to the sink and
 * freeing it.
 *
 * Memory does not grow with finished flows: a flow lives in the table only
 * while it is open or lingering, and at most CAPTURE_OPEN_FLOWS_MAX
 * (capture.h) are open at once. The table borrows log, limits, sink and
 * paths, which must outlive it. */
#ifndef MC_FLOWS_H
#define MC_FLOWS_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/capture.h"
#include "capture/decode.h"

struct flows;

struct flows *flows_new(struct plog *log, const struct limits *lim, bool keep_all,
    const struct flow_sink *sink, const char *const *paths);
/* One decoded segment; frame_len is the frame's length on the wire. */
void flows_segment(struct flows *t, const struct tcp_seg *s, const struct frame_ref *at,
    uint32_t frame_len);
/* Ends every flow still open ("end of capture"). */
void flows_finish(struct flows *t);
void flows_free(struct flows *t);
/* Open flows right now, and the most there were at once. */
size_t flows_open(const struct flows *t);
size_t flows_open_max(const struct flows *t);

#endif
