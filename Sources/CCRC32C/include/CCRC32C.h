#ifndef MEDSEARCH_CCRC32C_H
#define MEDSEARCH_CCRC32C_H

#include <stddef.h>
#include <stdint.h>

/// Whether this CPU has a CRC-32C instruction (x86-64 SSE4.2 `crc32`; 64-bit Arm CRC).
int medsearch_crc32c_hardware_available(void);

/// Runs the CRC-32C register over `length` bytes with the CPU instruction: no initial or final
/// inversion (the caller applies them). Call only when the hardware is available.
uint32_t medsearch_crc32c_hardware(uint32_t crc, const uint8_t *data, size_t length);

#endif
