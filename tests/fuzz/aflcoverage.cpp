// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Edge coverage for afl-fuzz from GCC's own instrumentation: every basic block compiled with
// -fsanitize-coverage=trace-pc calls this, and it counts the edge (previous block, this block)
// in AFL++'s shared map, as AFL++'s own instrumentation does. Linked with AFL++'s runtime
// (afl-compiler-rt.o: fork server, persistent mode, shared-memory inputs).
// Why not afl-g++-fast: Debian 12's AFL++ GCC plugin refuses the installed GCC 12.2.0-14+deb12u1
// ("GCC and plugin have incompatible versions"); afl-g++'s assembly instrumentation works but has
// no persistent mode (15 executions/s here against thousands).

#include <cstdint>

extern "C" unsigned char *__afl_area_ptr;

namespace {
constexpr uintptr_t MapMask = 0xffff; // AFL++'s default map of 64 KiB
thread_local uintptr_t s_previous = 0;
} // namespace

extern "C" __attribute__((no_sanitize_coverage, no_sanitize_address, no_sanitize_undefined)) void
__sanitizer_cov_trace_pc()
{
    const uintptr_t pc = uintptr_t(__builtin_return_address(0));
    const uintptr_t current = ((pc >> 4) ^ (pc << 8)) & MapMask;
    ++__afl_area_ptr[current ^ s_previous];
    s_previous = current >> 1;
}
