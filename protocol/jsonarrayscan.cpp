// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "jsonarrayscan.h"

namespace QueueDeck::Codec {

qsizetype countArrayItems(QByteArrayView json, QByteArrayView key, qsizetype stopAfter)
{
    int depth = 0;
    bool counting = false;     // inside the array of `key`, which sits at depth 2
    bool sawItem = false;      // the array holds at least one item
    qsizetype separators = 0;  // commas between its items
    QByteArrayView lastString; // the last string at depth 1: the key of what follows
    const char *data = json.data();
    const qsizetype size = json.size();
    for (qsizetype i = 0; i < size; ++i) {
        const char c = data[i];
        if (c == '"') {
            const qsizetype start = i + 1;
            for (++i; i < size && data[i] != '"'; ++i) {
                if (data[i] == '\\')
                    ++i;
            }
            if (depth == 1)
                lastString = QByteArrayView(data + start, qMin(i, size) - start);
            if (counting && depth == 2)
                sawItem = true;
            continue;
        }
        switch (c) {
        case '{':
        case '[':
            if (counting && depth == 2)
                sawItem = true;
            if (c == '[' && depth == 1 && lastString == key) {
                counting = true;
                sawItem = false;
                separators = 0;
            }
            ++depth;
            break;
        case '}':
        case ']':
            --depth;
            if (counting && depth == 1)
                return sawItem ? separators + 1 : 0;
            break;
        case ',':
            if (counting && depth == 2 && ++separators >= stopAfter)
                return stopAfter + 1;
            break;
        case ' ':
        case '\t':
        case '\n':
        case '\r':
        case ':':
            break;
        default:
            if (counting && depth == 2)
                sawItem = true;
        }
    }
    return counting ? (sawItem ? separators + 1 : 0) : 0;
}

} // namespace QueueDeck::Codec
