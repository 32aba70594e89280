#include "CFuzzerDriver.h"

/* libclang_rt.fuzzer is linked whole-archive, so its FuzzerMain.o (a `main` that SwiftPM's
 * `--defsym main=<module>_main` overrides) still needs this symbol to link. It is never called:
 * the Swift main passes its own callback to LLVMFuzzerRunDriver. */
__attribute__((weak)) int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    (void)data;
    (void)size;
    return 0;
}
