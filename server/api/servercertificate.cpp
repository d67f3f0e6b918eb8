// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "servercertificate.h"

#include "protocol/fingerprint.h"

#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QSaveFile>
#include <QSslCertificate>
#include <QSysInfo>
#include <QUrl>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace QueueDeck::Api {

namespace {

template <auto Free> struct Deleter
{
    template <typename T> void operator()(T *p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using Certificate = std::unique_ptr<X509, Deleter<X509_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO_free>>;
using Bignum = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using Extension = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;

std::unexpected<Error> failure(const char *what)
{
    const unsigned long code = ERR_get_error();
    char text[256] = {};
    if (code != 0)
        ERR_error_string_n(code, text, sizeof text);
    ERR_clear_error();
    return makeError(ErrorCode::Internal,
                     QStringLiteral("cannot make the server's TLS certificate (%1): %2")
                         .arg(QString::fromLatin1(what), QString::fromLatin1(text)));
}

bool addExtension(X509 *certificate, int nid, const QByteArray &value)
{
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
    Extension extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value.constData()));
    return extension && X509_add_ext(certificate, extension.get(), -1) == 1;
}

QByteArray pem(auto write)
{
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio || !write(bio.get()))
        return {};
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(size));
}

// Makes a self-signed certificate and its key, both PEM.
Result<std::pair<QByteArray, QByteArray>> makeCertificate(const QStringList &hosts)
{
    Key key(EVP_EC_gen("P-256"));
    if (!key)
        return failure("key");
    Certificate certificate(X509_new());
    Bignum serial(BN_new());
    if (!certificate || !serial ||
        BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
        !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(certificate.get())))
        return failure("serial number");
    X509_set_version(certificate.get(), 2); // v3
    X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 10L * 365 * 24 * 3600);
    X509_set_pubkey(certificate.get(), key.get());
    X509_NAME *name = X509_get_subject_name(certificate.get());
    const QByteArray commonName =
        (QStringLiteral("QueueDeck server ") + hosts.value(0)).toUtf8().left(64);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char *>("QueueDeck"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char *>(commonName.constData()), -1,
                               -1, 0);
    X509_set_issuer_name(certificate.get(), name);
    QStringList alternativeNames;
    for (const QString &host : hosts) {
        const QHostAddress address(host);
        alternativeNames.append(address.isNull() ? QStringLiteral("DNS:") + host
                                                 : QStringLiteral("IP:") + address.toString());
    }
    if (!addExtension(certificate.get(), NID_subject_alt_name,
                      alternativeNames.join(u',').toUtf8()) ||
        !addExtension(certificate.get(), NID_basic_constraints, "critical,CA:FALSE") ||
        !addExtension(certificate.get(), NID_ext_key_usage, "serverAuth") ||
        !addExtension(certificate.get(), NID_subject_key_identifier, "hash"))
        return failure("extensions");
    if (X509_sign(certificate.get(), key.get(), EVP_sha256()) <= 0)
        return failure("signature");
    const QByteArray certificatePem =
        pem([&](BIO *bio) { return PEM_write_bio_X509(bio, certificate.get()) == 1; });
    const QByteArray keyPem = pem([&](BIO *bio) {
        return PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
    });
    if (certificatePem.isEmpty() || keyPem.isEmpty())
        return failure("PEM");
    return std::pair{certificatePem, keyPem};
}

Result<void> writePrivate(const QString &path, const QByteArray &data)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
        file.write(data) != data.size() || !file.commit())
        return makeError(ErrorCode::Internal,
                         QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return {};
}

// Whether a certificate names every host (its SAN entries, compared without case).
bool covers(const QSslCertificate &certificate, const QStringList &hosts)
{
    QStringList named;
    const auto alternatives = certificate.subjectAlternativeNames();
    for (auto it = alternatives.cbegin(); it != alternatives.cend(); ++it) {
        const QHostAddress address(it.value());
        named.append(address.isNull() ? it.value().toLower() : address.toString());
    }
    for (const QString &host : hosts) {
        const QHostAddress address(host);
        if (!named.contains(address.isNull() ? host.toLower() : address.toString()))
            return false;
    }
    return true;
}

} // namespace

QStringList certificateHosts(const QString &publicUrl, const QString &listenAddress)
{
    QStringList hosts;
    auto add = [&hosts](const QString &host) {
        if (!host.isEmpty() && !hosts.contains(host, Qt::CaseInsensitive))
            hosts.append(host);
    };
    add(QUrl(publicUrl).host());
    const QHostAddress listen(listenAddress);
    if (!listen.isNull() && listen != QHostAddress::Any && listen != QHostAddress::AnyIPv4 &&
        listen != QHostAddress::AnyIPv6)
        add(listen.toString());
    add(QSysInfo::machineHostName());
    add(QStringLiteral("localhost"));
    add(QStringLiteral("127.0.0.1"));
    add(QStringLiteral("::1"));
    return hosts;
}

Result<ServerCertificate> prepareServerCertificate(const QString &dataDirectory,
                                                   const QStringList &hosts)
{
    const QDir directory(QDir(dataDirectory).filePath(QStringLiteral("tls")));
    if (!directory.exists() && !QDir().mkpath(directory.path()))
        return makeError(ErrorCode::Internal,
                         QStringLiteral("cannot make the directory %1").arg(directory.path()));
    QFile::setPermissions(directory.path(),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    ServerCertificate out;
    out.certificatePath = directory.filePath(QStringLiteral("server.crt"));
    out.keyPath = directory.filePath(QStringLiteral("server.key"));

    QFile existing(out.certificatePath);
    if (QFile::exists(out.keyPath) && existing.open(QIODevice::ReadOnly)) {
        const auto certificates = QSslCertificate::fromData(existing.readAll(), QSsl::Pem);
        if (!certificates.isEmpty() && covers(certificates.first(), hosts) &&
            certificates.first().expiryDate() > QDateTime::currentDateTimeUtc().addDays(30)) {
            out.fingerprint = Fingerprint::ofCertificate(certificates.first().toDer());
            return out;
        }
    }
    auto made = makeCertificate(hosts);
    if (!made)
        return std::unexpected(made.error());
    // The key first: a certificate on disk always has its key beside it.
    if (auto written = writePrivate(out.keyPath, made->second); !written)
        return std::unexpected(written.error());
    if (auto written = writePrivate(out.certificatePath, made->first); !written)
        return std::unexpected(written.error());
    const auto certificates = QSslCertificate::fromData(made->first, QSsl::Pem);
    if (certificates.isEmpty())
        return makeError(ErrorCode::Internal,
                         QStringLiteral("the server's new TLS certificate cannot be read back"));
    out.fingerprint = Fingerprint::ofCertificate(certificates.first().toDer());
    out.made = true;
    return out;
}

} // namespace QueueDeck::Api
