# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
# Help text of a program and roff, for the scripts that write the manual pages.

# The help of `<program> <words> --help`, with the program's path in its usage line replaced by
# the command a reader types.
function(help_of out program)
    execute_process(COMMAND ${program} ${ARGN} --help
        OUTPUT_VARIABLE text ERROR_VARIABLE error RESULT_VARIABLE code)
    if(NOT code EQUAL 0 OR text STREQUAL "")
        get_filename_component(name ${program} NAME)
        message(FATAL_ERROR "${name} ${ARGN} --help failed (${code}): ${error}")
    endif()
    get_filename_component(name ${program} NAME)
    list(JOIN ARGN " " words)
    if(words)
        string(PREPEND words " ")
    endif()
    string(REPLACE "Usage: ${program}" "Usage: ${name}${words}" text "${text}")
    set(${out} "${text}" PARENT_SCOPE)
endfunction()

# Text as roff: backslashes and minus signs escaped, no line taken for a request.
function(roff out text)
    string(REPLACE "\\" "\\e" text "${text}")
    string(REPLACE "-" "\\-" text "${text}")
    string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
    string(REGEX REPLACE "\n+$" "" text "${text}")
    set(${out} "${text}" PARENT_SCOPE)
endfunction()
