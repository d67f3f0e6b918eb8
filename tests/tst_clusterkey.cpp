// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "clusterkey.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace QueueDeck;

class TestClusterKey final : public QObject
{
    Q_OBJECT
private:
    static QString writeKeyFile(const QTemporaryDir &dir, const QByteArray &text,
                                QFile::Permissions permissions)
    {
        const QString path = dir.filePath(QStringLiteral("given-key"));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
            return {};
        file.close();
        file.setPermissions(permissions);
        return path;
    }

private Q_SLOTS:
    void generatedOnFirstStartWithMode0600ThenKept()
    {
        QTemporaryDir dir;
        const QString data = dir.filePath(QStringLiteral("data"));
        auto first = ClusterKey::load({{}, {}, data});
        QVERIFY2(first, first ? "" : qPrintable(first.error().message));
        QVERIFY(first->generated);
        QCOMPARE(first->key.size(), 32);
        const QString path = QDir(data).filePath(QStringLiteral("cluster-key"));
        QCOMPARE(first->origin, path);
        QCOMPARE(QFile(path).permissions() &
                     ~(QFile::ReadUser | QFile::WriteUser), // the owner's bits as QFile sees them
                 QFile::ReadOwner | QFile::WriteOwner);
        auto second = ClusterKey::load({{}, {}, data});
        QVERIFY(second);
        QVERIFY(!second->generated);
        QCOMPARE(second->key, first->key);
        const ClusterKey::Sources elsewhere{{}, {}, dir.filePath(QStringLiteral("other"))};
        QVERIFY(ClusterKey::load(elsewhere)->key != first->key);
    }

    void fromTheEnvironment()
    {
        QTemporaryDir dir;
        const QByteArray key(32, '\x5a');
        auto loaded =
            ClusterKey::load({QString::fromLatin1(ClusterKey::encode(key)), {}, dir.path()});
        QVERIFY(loaded);
        QCOMPARE(loaded->key, key);
        QCOMPARE(loaded->origin, QStringLiteral("QUEUEDECK_CLUSTER_KEY"));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("cluster-key")))); // nothing written
    }

    void fromAFile()
    {
        QTemporaryDir dir;
        const QByteArray key(32, '\x11');
        const QString path =
            writeKeyFile(dir, ClusterKey::encode(key) + "\n", QFile::ReadOwner | QFile::WriteOwner);
        auto loaded = ClusterKey::load({{}, path, dir.path()});
        QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.error().message));
        QCOMPARE(loaded->key, key);
        QCOMPARE(loaded->origin, path);
    }

    void aFileOthersCanReadIsRefused()
    {
        QTemporaryDir dir;
        const QString path = writeKeyFile(dir, ClusterKey::encode(QByteArray(32, 'x')),
                                          QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther);
        auto loaded = ClusterKey::load({{}, path, dir.path()});
        QVERIFY(!loaded);
        QVERIFY(loaded.error().message.contains(u"chmod 600"));
    }

    void badKeysAreRefused_data()
    {
        QTest::addColumn<QString>("environment");
        QTest::newRow("too short") << QString::fromLatin1(QByteArray(16, 'a').toBase64());
        QTest::newRow("not base64") << QStringLiteral("this is no key at all, not even base64!!!!");
    }
    void badKeysAreRefused()
    {
        QFETCH(QString, environment);
        QTemporaryDir dir;
        auto loaded = ClusterKey::load({environment, {}, dir.path()});
        QVERIFY(!loaded);
        QVERIFY(loaded.error().message.contains(u"44 characters"));
    }

    void twoSourcesAreRefused()
    {
        QTemporaryDir dir;
        const QString path = writeKeyFile(dir, ClusterKey::encode(QByteArray(32, 'x')),
                                          QFile::ReadOwner | QFile::WriteOwner);
        auto loaded = ClusterKey::load(
            {QString::fromLatin1(ClusterKey::encode(QByteArray(32, 'y'))), path, dir.path()});
        QVERIFY(!loaded);
        QVERIFY(loaded.error().message.contains(u"give one of them"));
    }

    void aMissingFileIsAnError()
    {
        QTemporaryDir dir;
        auto loaded = ClusterKey::load({{}, dir.filePath(QStringLiteral("none")), dir.path()});
        QVERIFY(!loaded);
        QVERIFY(loaded.error().message.contains(u"cannot read the cluster key file"));
    }
};

QTEST_GUILESS_MAIN(TestClusterKey)
#include "tst_clusterkey.moc"
