// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace QueueDeck::Ui {

// Admin tokens of remembered servers: in the OS keychain where one answers (QtKeychain), else in
// a file of the user's config directory that only the user may read (0600). Both calls answer
// later, on the context's thread.
class SavedTokens final
{
public:
    // Where the files go; the default is <config dir>/tokens.
    explicit SavedTokens(QString fileDirectory = {});

    // done(where): "keychain" or the file's path; an empty string and an error message on failure.
    void write(const QString &server, const QString &token, QObject *context,
               std::function<void(const QString &where, const QString &error)> done) const;
    void read(const QString &server, QObject *context,
              std::function<void(const QString &token)> done) const;
    void remove(const QString &server) const;

    QString filePath(const QString &server) const;
    QString writeFile(const QString &server, const QString &token) const; // error or empty

private:
    QString m_directory;
};

} // namespace QueueDeck::Ui
