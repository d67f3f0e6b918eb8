# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
#
# Writes the manual page qdeck.1 and the bash completion of qdeck from the program's own --help
# output, so neither can drift from the options the program takes. Run at build time:
#   cmake -DQDECK=<path to qdeck> -DMAN=<qdeck.1> -DCOMPLETION=<file> -DVERSION=<x.y.z>
#         -DDATE=<YYYY-MM-DD> -P qdeckdocs.cmake

foreach(required QDECK MAN COMPLETION VERSION DATE)
    if(NOT DEFINED ${required})
        message(FATAL_ERROR "qdeckdocs.cmake: pass -D${required}=…")
    endif()
endforeach()

include(${CMAKE_CURRENT_LIST_DIR}/helptext.cmake)

help_of(overview ${QDECK})
# The command words: `qdeck serve`, `qdeck worker start`, and `qdeck queue list|create|…` lines.
set(commands "serve;enqueue")
set(verbs_worker "start")
string(REGEX MATCHALL "qdeck [a-z]+ [a-z-]+(\\|[a-z-]+)+" verb_lines "${overview}")
foreach(line IN LISTS verb_lines)
    string(REGEX REPLACE "^qdeck ([a-z]+) .*" "\\1" command "${line}")
    string(REGEX REPLACE "^qdeck [a-z]+ " "" verbs "${line}")
    string(REPLACE "|" ";" verbs "${verbs}")
    list(APPEND commands ${command})
    list(APPEND verbs_${command} ${verbs})
endforeach()
list(REMOVE_DUPLICATES commands)

set(date "${DATE}")
set(man ".\\\" Generated from the --help output of qdeck ${VERSION}; do not edit.
.TH QDECK 1 \"${date}\" \"qdeck ${VERSION}\" \"QueueDeck\"
.SH NAME
qdeck \\- QueueDeck queue server, worker agent and command line
.SH SYNOPSIS
")
roff(text "${overview}")
string(APPEND man ".nf\n${text}\n.fi\n")
string(APPEND man ".SH DESCRIPTION
\\fBqdeck serve\\fR runs the QueueDeck queue server and its HTTP API on a SQLite database.
\\fBqdeck worker start\\fR attaches this machine as a worker of one or more queues and runs a
handler program once per task.
The other commands manage a running server: queues, workers, tasks, dead letters and producer
tokens.
.SH COMMANDS
")
set(completion_cases "")
foreach(command IN LISTS commands)
    set(words ${command})
    if(command STREQUAL "worker")
        set(words worker start)
    endif()
    help_of(help ${QDECK} ${words})
    list(JOIN words " " title)
    roff(text "${help}")
    string(APPEND man ".SS \"qdeck ${title}\"\n.nf\n${text}\n.fi\n")
    if(command STREQUAL "worker")
        # The management verbs of `qdeck worker` have their own options.
        help_of(manage ${QDECK} worker list)
        roff(text "${manage}")
        string(APPEND man ".SS \"qdeck worker list|drain|remove\"\n.nf\n${text}\n.fi\n")
        string(APPEND help "\n${manage}")
    endif()
    string(REGEX MATCHALL "(^|[ \n])--?[a-z][a-z-]*" options "${help}")
    list(TRANSFORM options STRIP)
    list(FILTER options EXCLUDE REGEX "^-$|^--$")
    list(REMOVE_DUPLICATES options)
    list(SORT options)
    list(JOIN options " " options)
    set(verbs "")
    if(DEFINED verbs_${command})
        list(JOIN verbs_${command} " " verbs)
    endif()
    string(APPEND completion_cases
        "        ${command}) verbs=\"${verbs}\"; options=\"${options}\" ;;\n")
endforeach()
string(APPEND man ".SH FILES
.TP
.I /etc/queuedeck/serve.conf
The settings of the packaged server (\\fBqdeck\\-serve.service\\fR): the keys of
\\fBqdeck serve\\fR's options without their dashes, e.g. \\fBlisten=127.0.0.1:7070\\fR.
.TP
.I /var/lib/queuedeck/admin\\-token
The admin token of the packaged server, readable by root and the queuedeck user.
.TP
.I /etc/queuedeck/worker\\-NAME.env
The settings of \\fBqdeck\\-worker@NAME.service\\fR: QUEUEDECK_TOKEN, QUEUEDECK_QUEUE_ID,
QUEUEDECK_SERVER and QUEUEDECK_HANDLER, mode 0600.
.TP
.I ~/.config/queuedeck/qdeck.conf
The server and token the management commands use by default (server= and token=).
.SH ENVIRONMENT
.TP
.B QUEUEDECK_TOKEN
The join token of \\fBqdeck worker start\\fR, or the token of the management commands.
.TP
.B QUEUEDECK_SERVER
The server the management commands talk to.
.SH \"EXIT STATUS\"
0 success, 64 usage or queue error, 75 no free worker slot, 77 token refused (see
\\fBqdeck worker \\-\\-help\\fR).
.SH \"SEE ALSO\"
\\fBqueuedeck\\fR(1), \\fBsystemctl\\fR(1)
")

file(WRITE "${MAN}" "${man}")

list(JOIN commands " " command_words)
file(WRITE "${COMPLETION}" "# bash completion for qdeck -*- shell-script -*-
# Generated from the --help output of qdeck ${VERSION}; do not edit.

_qdeck()
{
    local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
    local command=\${COMP_WORDS[1]} verbs='' options=''
    local i
    for ((i = 1; i < COMP_CWORD; i++)); do
        # After -- comes the handler: complete programs and files.
        if [[ \${COMP_WORDS[i]} == -- ]]; then
            COMPREPLY=(\$(compgen -c -f -- \"\$cur\"))
            return
        fi
    done
    if ((COMP_CWORD == 1)); then
        COMPREPLY=(\$(compgen -W '${command_words} --help --version' -- \"\$cur\"))
        return
    fi
    case \$prev in
        --config | --token-file | --payload-file | --tls-cert | --tls-key | --database)
            COMPREPLY=(\$(compgen -f -- \"\$cur\"))
            return
            ;;
        --data-dir)
            COMPREPLY=(\$(compgen -d -- \"\$cur\"))
            return
            ;;
    esac
    case \$command in
${completion_cases}        *) return ;;
    esac
    if ((COMP_CWORD == 2)) && [[ -n \$verbs && \$cur != -* ]]; then
        COMPREPLY=(\$(compgen -W \"\$verbs\" -- \"\$cur\"))
        return
    fi
    COMPREPLY=(\$(compgen -W \"\$options\" -- \"\$cur\"))
}
complete -F _qdeck qdeck
")
