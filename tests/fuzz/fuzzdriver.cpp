// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// main() for the fuzz targets, which define LLVMFuzzerTestOneInput as libFuzzer would call it.
// With arguments: each file (or every file of each directory) is run once — the seed corpus
// replay in CTest and the way to re-run a finding. Built with AFL++'s compiler and started by
// afl-fuzz without arguments (built with QUEUEDECK_FUZZ_PERSISTENT, linked with AFL++'s runtime):
// the fork server starts after Qt is set up and one process runs many inputs that afl-fuzz hands
// over in shared memory. Without arguments otherwise: one input on standard input.

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cstdint>
#include <cstdio>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifdef QUEUEDECK_FUZZ_PERSISTENT
// AFL++'s runtime (afl-compiler-rt.o).
extern "C" {
int __afl_persistent_loop(unsigned int maxRuns);
void __afl_manual_init();
extern unsigned char *__afl_fuzz_ptr;
extern unsigned int *__afl_fuzz_len;
int __afl_sharedmem_fuzzing = 1; // inputs in shared memory rather than on standard input
}
// afl-fuzz looks for these in the program to use the deferred fork server and persistent mode.
__attribute__((used)) static volatile const char *const s_aflSignatures[] = {
    "##SIG_AFL_PERSISTENT##", "##SIG_AFL_DEFER_FORKSRV##"};
#endif

namespace {

int runFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "cannot read %s\n", qPrintable(path));
        return 1;
    }
    const QByteArray bytes = file.readAll();
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(bytes.constData()),
                           size_t(bytes.size()));
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    // The targets use Qt objects and its event loop; one application for the whole run.
    QCoreApplication application(argc, argv);
    if (argc > 1) {
        int failures = 0;
        int inputs = 0;
        for (int i = 1; i < argc; ++i) {
            const QString argument = QString::fromLocal8Bit(argv[i]);
            if (QFileInfo(argument).isDir()) {
                const QDir directory(argument);
                for (const QString &name : directory.entryList(QDir::Files, QDir::Name)) {
                    failures += runFile(directory.filePath(name));
                    ++inputs;
                }
            } else {
                failures += runFile(argument);
                ++inputs;
            }
        }
        std::printf("%d inputs run, %d unreadable\n", inputs, failures);
        return failures == 0 && inputs > 0 ? 0 : 1;
    }
#ifdef QUEUEDECK_FUZZ_PERSISTENT
    if (qEnvironmentVariableIsSet("__AFL_SHM_ID")) {
        __afl_manual_init();
        while (__afl_persistent_loop(10000))
            LLVMFuzzerTestOneInput(__afl_fuzz_ptr, size_t(*__afl_fuzz_len));
        return 0;
    }
#endif
    {
        // One input on standard input.
        QByteArray bytes;
        char chunk[65536];
        ssize_t got;
        while ((got = ::read(0, chunk, sizeof chunk)) > 0)
            bytes.append(chunk, qsizetype(got));
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(bytes.constData()),
                               size_t(bytes.size()));
    }
    return 0;
}
