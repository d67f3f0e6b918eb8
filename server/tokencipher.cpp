// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "tokencipher.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>

namespace QueueDeck {

namespace {

constexpr int NonceBytes = 12;
constexpr int TagBytes = 16;

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

CipherContext newContext()
{
    return CipherContext(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
}

std::unexpected<Error> cannotOpen()
{
    return makeError(ErrorCode::FailedPrecondition,
                     QStringLiteral("a join token in the database cannot be decrypted with this "
                                    "node's cluster key: the nodes' keys differ, or the value was "
                                    "changed. Give this node the key the other nodes use (copy "
                                    "their <data-dir>/cluster-key, or set QUEUEDECK_CLUSTER_KEY "
                                    "or --cluster-key-file to it) and start it again"));
}

} // namespace

Result<TokenCipher> TokenCipher::fromKey(const QByteArray &key)
{
    if (key.size() != KeyBytes)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("the cluster key must be %1 bytes (got %2)")
                             .arg(KeyBytes)
                             .arg(key.size()));
    return TokenCipher(key);
}

Result<QString> TokenCipher::seal(const QString &plain, const QString &context) const
{
    const QByteArray text = plain.toUtf8();
    const QByteArray aad = context.toUtf8();
    QByteArray out(NonceBytes + text.size() + TagBytes, Qt::Uninitialized);
    auto *nonce = reinterpret_cast<unsigned char *>(out.data());
    if (RAND_bytes(nonce, NonceBytes) != 1)
        return makeError(ErrorCode::Internal, QStringLiteral("no random bytes for a nonce"));
    CipherContext ctx = newContext();
    int length = 0;
    auto *cipherText = nonce + NonceBytes;
    const bool ok = ctx &&
                    EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                                       reinterpret_cast<const unsigned char *>(m_key.constData()),
                                       nonce) == 1 &&
                    EVP_EncryptUpdate(ctx.get(), nullptr, &length,
                                      reinterpret_cast<const unsigned char *>(aad.constData()),
                                      int(aad.size())) == 1 &&
                    EVP_EncryptUpdate(ctx.get(), cipherText, &length,
                                      reinterpret_cast<const unsigned char *>(text.constData()),
                                      int(text.size())) == 1 &&
                    EVP_EncryptFinal_ex(ctx.get(), cipherText + length, &length) == 1 &&
                    EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, TagBytes,
                                        cipherText + text.size()) == 1;
    if (!ok)
        return makeError(ErrorCode::Internal, QStringLiteral("OpenSSL could not encrypt a token"));
    return Prefix + QString::fromLatin1(out.toBase64());
}

Result<QString> TokenCipher::open(const QString &sealed, const QString &context) const
{
    if (!isSealed(sealed))
        return makeError(ErrorCode::FailedPrecondition,
                         QStringLiteral("a join token in the database is not encrypted; start a "
                                        "node of this version on the database to migrate it"));
    const auto decoded = QByteArray::fromBase64Encoding(sealed.mid(Prefix.size()).toLatin1(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() < NonceBytes + TagBytes)
        return cannotOpen();
    const QByteArray &raw = decoded.decoded;
    const QByteArray aad = context.toUtf8();
    const int textBytes = int(raw.size()) - NonceBytes - TagBytes;
    const auto *nonce = reinterpret_cast<const unsigned char *>(raw.constData());
    const auto *cipherText = nonce + NonceBytes;
    QByteArray tag = raw.right(TagBytes);
    QByteArray plain(qMax(textBytes, 1), Qt::Uninitialized);
    CipherContext ctx = newContext();
    int length = 0;
    const bool ok =
        ctx &&
        EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                           reinterpret_cast<const unsigned char *>(m_key.constData()),
                           nonce) == 1 &&
        EVP_DecryptUpdate(ctx.get(), nullptr, &length,
                          reinterpret_cast<const unsigned char *>(aad.constData()),
                          int(aad.size())) == 1 &&
        EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char *>(plain.data()), &length,
                          cipherText, textBytes) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, TagBytes, tag.data()) == 1 &&
        EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char *>(plain.data()) + length,
                            &length) == 1;
    if (!ok)
        return cannotOpen();
    plain.truncate(textBytes);
    return QString::fromUtf8(plain);
}

} // namespace QueueDeck
