// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArrayView>

namespace QueueDeck {

// Whether two secrets (tokens, their hashes, MACs, password hashes) are equal, in time that
// depends on their length only: every byte is compared, whichever differs first.
inline bool sameSecret(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

} // namespace QueueDeck
