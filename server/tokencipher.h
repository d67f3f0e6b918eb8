// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"

#include <QByteArray>
#include <QString>

namespace QueueDeck {

// Seals the secrets a cluster keeps in its shared database (join tokens) with the cluster key
// that each node keeps in its own configuration (ClusterKey): AES-256-GCM with a fresh 96-bit
// nonce per value, bound to a context (the queue id) so that a sealed value copied onto another
// row does not open there. A sealed value is text: "qdk1:" and the base64 of nonce, ciphertext
// and tag. Opening with another key, or a changed value, fails with an error.
//
// Thread-safe: a TokenCipher holds only the key.
class TokenCipher final
{
public:
    static constexpr int KeyBytes = 32;
    static constexpr QLatin1StringView Prefix{"qdk1:"};

    // key: exactly KeyBytes bytes.
    static Result<TokenCipher> fromKey(const QByteArray &key);

    Result<QString> seal(const QString &plain, const QString &context) const;
    Result<QString> open(const QString &sealed, const QString &context) const;
    static bool isSealed(const QString &text) { return text.startsWith(Prefix); }

private:
    explicit TokenCipher(QByteArray key) : m_key(std::move(key)) {}
    QByteArray m_key;
};

} // namespace QueueDeck
