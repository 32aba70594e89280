// CRC-32C with the CPU's instruction, chosen at run time: the build needs no -msse4.2 (the
// function alone is compiled for SSE4.2) and a CPU without it falls back to the table code in
// Swift. Checksums of every index file are verified on open and by `check`; the table code ran
// at about 1 GB/s, the instruction at several times that.
#include "CCRC32C.h"
#include <string.h>

#if defined(__x86_64__)
#include <nmmintrin.h>

int medsearch_crc32c_hardware_available(void) {
    return __builtin_cpu_supports("sse4.2");
}

__attribute__((target("sse4.2")))
uint32_t medsearch_crc32c_hardware(uint32_t crc, const uint8_t *data, size_t length) {
    uint64_t wide = crc;
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, data, 8);
        wide = _mm_crc32_u64(wide, word);
        data += 8;
        length -= 8;
    }
    uint32_t narrow = (uint32_t)wide;
    while (length > 0) {
        narrow = _mm_crc32_u8(narrow, *data);
        data += 1;
        length -= 1;
    }
    return narrow;
}

#elif defined(__aarch64__) && defined(__ARM_FEATURE_CRC32)
#include <arm_acle.h>

int medsearch_crc32c_hardware_available(void) { return 1; }

uint32_t medsearch_crc32c_hardware(uint32_t crc, const uint8_t *data, size_t length) {
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, data, 8);
        crc = __crc32cd(crc, word);
        data += 8;
        length -= 8;
    }
    while (length > 0) {
        crc = __crc32cb(crc, *data);
        data += 1;
        length -= 1;
    }
    return crc;
}

#else

int medsearch_crc32c_hardware_available(void) { return 0; }

uint32_t medsearch_crc32c_hardware(uint32_t crc, const uint8_t *data, size_t length) {
    (void)data;
    (void)length;
    return crc;
}

#endif
