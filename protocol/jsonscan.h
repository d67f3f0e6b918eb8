// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArrayView>
#include <QVarLengthArray>

#include <array>
#include <initializer_list>

#include <optional>

namespace QueueDeck::Codec {

// Quick scans of JSON text that build nothing. They answer only what they are sure of and leave
// the rest to QJsonDocument, whose verdicts and messages stand.

// True only for text that is certainly one JSON value Qt's parser takes (a scalar at the top
// only inside an array, as QJsonDocument takes no other top level): the plain shapes (objects,
// arrays, ASCII strings with the short escapes, numbers without an exponent and of at most 300
// digits, literals) nested at most 512 deep. False says nothing: other escapes, bytes past
// ASCII, exponents and errors are all Qt's to judge.
bool isPlainJson(QByteArrayView text);

// True when `text` is one JSON value exactly as QJsonDocument writes it compactly (compact as
// below); false says nothing.
bool isCompactJson(QByteArrayView text);

// The text of the member `name` of the JSON object `objectText`, when it is exactly the compact
// text QJsonDocument writes for that value: no white space, keys in ascending order and without
// escapes, strings of printable ASCII without escapes, whole numbers of at most 18 digits
// (no -0). Nothing when the member is absent or named twice, when any key of the object has an
// escape, or when the object is not plain (isPlainJson).
std::optional<QByteArrayView> compactMemberText(QByteArrayView objectText, QByteArrayView name);

// The texts of the members of the JSON object `objectText`, in the order of `names`, when the
// object has exactly those members, each once, and each one's text is compact (as above).
std::optional<QVarLengthArray<QByteArrayView, 4>>
compactMembers(QByteArrayView objectText, std::initializer_list<QByteArrayView> names);

// The items of a JSON array in QJsonDocument's compact form (no white space, every item compact as
// above), in order; nothing for any other text.
std::optional<QVarLengthArray<QByteArrayView, 8>> compactItems(QByteArrayView arrayText);

// One JSON object as QJsonDocument writes it compactly (white space between its members aside):
// keys in ascending order, each once and without escapes, every member's text compact (as
// above). Its members are found in one pass, then read by name, for decoding an answer of many
// members without a QJsonObject. Made from nothing else: other text is Qt's to read.
class CompactObject
{
public:
    static std::optional<CompactObject> of(QByteArrayView objectText);

    // The member's text, exactly what QJsonDocument writes for its value; nothing when absent.
    std::optional<QByteArrayView> member(QByteArrayView key) const;

private:
    struct Entry
    {
        QByteArrayView key;
        QByteArrayView value;
    };
    static constexpr qsizetype Slots = 64; // a power of two
    static constexpr qsizetype MaxHashed = Slots * 3 / 4;
    static std::size_t slotOf(QByteArrayView key);

    QVarLengthArray<Entry, 32> m_members; // in ascending order of key
    // Up to MaxHashed members are found by a hash of their key (open addressing, linear probing):
    // the index in m_members + 1, 0 for an empty slot. A bigger object is searched by key order.
    std::array<quint8, Slots> m_slots{};
};

} // namespace QueueDeck::Codec
