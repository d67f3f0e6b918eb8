// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArrayView>

namespace QueueDeck::Codec {

// Counts the items of the array that is the value of `key` in a JSON object's text, without
// building anything, and stops as soon as the count passes `stopAfter` (it then returns
// stopAfter + 1). Used to refuse an oversized batch before parsing it: a scan touches each byte
// once and allocates nothing, where a parse builds every item first. Returns 0 when the key is
// absent or its value is not an array; malformed text is left for the parser to explain.
qsizetype countArrayItems(QByteArrayView json, QByteArrayView key, qsizetype stopAfter);

} // namespace QueueDeck::Codec
