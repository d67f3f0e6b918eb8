# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
#
# Writes the manual page queuedeck.1 from the desktop app's own --help output. Run at build time
# with an offscreen platform:
#   cmake -DQUEUEDECK=<path> -DMAN=<queuedeck.1> -DVERSION=<x.y.z> -DDATE=<YYYY-MM-DD>
#         -P queuedeckman.cmake
foreach(required QUEUEDECK MAN VERSION DATE)
    if(NOT DEFINED ${required})
        message(FATAL_ERROR "queuedeckman.cmake: pass -D${required}=…")
    endif()
endforeach()
include(${CMAKE_CURRENT_LIST_DIR}/helptext.cmake)

help_of(help ${QUEUEDECK})
roff(text "${help}")
file(WRITE "${MAN}" ".\\\" Generated from the --help output of queuedeck ${VERSION}; do not edit.
.TH QUEUEDECK 1 \"${DATE}\" \"queuedeck ${VERSION}\" \"QueueDeck\"
.SH NAME
queuedeck \\- desktop control room for durable task queues
.SH SYNOPSIS
.B queuedeck
[\\fIoptions\\fR]
.SH DESCRIPTION
\\fBqueuedeck\\fR runs the QueueDeck queue server in its own process (SQLite in
~/.local/share/queuedeck, loopback port 7070 or a free one) and shows its dashboard: a card per
queue with the command that attaches a worker, live charts, workers, tasks and alerts.
It can manage a remote \\fBqdeck serve\\fR instead.
.SH OPTIONS
.nf
${text}
.fi
.SH FILES
.TP
.I ~/.local/share/queuedeck/admin\\-token
The admin token of the embedded server, readable by you only.
.SH \"SEE ALSO\"
\\fBqdeck\\fR(1)
")
