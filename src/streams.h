/* streams.h - `mailcase streams CAPTURE... -o DIR`: every TCP flow of a
 * capture written as two files, one per direction, named as tcpflow names
 * them, plus DIR/index.json describing each flow (endpoints, times, frames,
 * byte counts, gaps, conflicts, SHA-256 of each file). */
#ifndef MC_STREAMS_H
#define MC_STREAMS_H

/* argv[0] is "streams". Returns an exit status from exitcodes.h. */
int streams_main(int argc, char **argv);

#endif
