#ifndef MEDSEARCH_CFUZZERDRIVER_H
#define MEDSEARCH_CFUZZERDRIVER_H

#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry point for programs that have their own main (libclang_rt.fuzzer provides it
 * when linked with -sanitize=fuzzer). Only referenced from code built with -DFUZZING. */
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
