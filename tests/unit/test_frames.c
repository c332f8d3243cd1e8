/* Frame lists made brief for prose and table cells (capture/stream.c):
 * short lists unchanged, long ones as "first to last, N frames" with N
 * counted exactly, and anything not in stream_frames()'s format unchanged. */
#include "check.h"
#include "capture/stream.h"

#include <stdlib.h>

static char *got;

#define BRIEF(list) (free(got), got = stream_frames_brief(list))

TEST(short_lists_unchanged)
{
	CHECK_STR(BRIEF("63"), "63");
	CHECK_STR(BRIEF("78-80"), "78-80");
	CHECK_STR(BRIEF("63, 66"), "63, 66");
	CHECK_STR(BRIEF(""), "");
	/* 40 characters: still the list itself. */
	CHECK_STR(BRIEF("1,3,5,7,9,11,13,15,17,19,21,23,25,27,291"), "1,3,5,7,9,11,13,15,17,19,21,23,25,27,291");
}

TEST(long_lists_counted)
{
	CHECK_STR(BRIEF("138,140,142,144,146,148,150,152,154,156,158,160,204-206,210"),
	    "138 to 210, 16 frames");
	CHECK_STR(BRIEF("1-100,200-299,301,303,305,307,309,311,313,315,317"), "1 to 317, 209 frames");
	/* The last item a range: its end is the last frame. */
	CHECK_STR(BRIEF("5,7,9,11,13,15,17,19,21,23,25,27,29,31,33,35-40"), "5 to 40, 21 frames");
}

TEST(several_files)
{
	/* Frames of a second file are written "2:N"; stream_frames() never
	 * writes a range across files, so such a list is left as it is. */
	CHECK_STR(BRIEF("10,12,14,16,18,20,22,24,26,28,30,32,34,36-2:4,2:6"),
	    "10,12,14,16,18,20,22,24,26,28,30,32,34,36-2:4,2:6");
	CHECK_STR(BRIEF("10,12,14,16,18,20,22,24,26,28,30,32,34,36,2:4,2:6"),
	    "10 to 2:6, 16 frames");
}

TEST(not_a_frame_list)
{
	static const char *odd = "frames 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16";

	CHECK_STR(BRIEF(odd), odd);
	CHECK_STR(BRIEF("1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,x"),
	    "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,x");
	free(got);
	got = NULL;
}

int
main(void)
{
	RUN(short_lists_unchanged);
	RUN(long_lists_counted);
	RUN(several_files);
	RUN(not_a_frame_list);
	return check_done();
}
