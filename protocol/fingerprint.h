// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"

#include <QByteArray>
#include <QString>

namespace QueueDeck::Fingerprint {

// The SHA-256 fingerprint of a certificate's DER encoding, written the way QueueDeck shows and
// takes it: "sha256:" and 32 upper-case hex pairs joined by colons.
QString ofCertificate(const QByteArray &der);
// The same text for a raw 32-byte digest.
QString format(const QByteArray &digest);
// The 32-byte digest of a fingerprint as a user may write it: with or without "sha256:", with or
// without colons, in either case. An error says what a fingerprint looks like.
Result<QByteArray> parse(const QString &text);

} // namespace QueueDeck::Fingerprint
