// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The HTTP request reader on its own: what it makes of requests whole and in pieces, and what it
// refuses. (tst_httpserver covers it inside a connection.)

#include "httprequestreader.h"

#include <QTest>

using namespace QueueDeck::Http;
using Step = HttpRequestReader::Step;

namespace {

// What the reader reports for `input` fed `piece` bytes at a time (0: all at once), as a
// connection feeds it: kept bytes are given again with the next ones. One line per step.
QByteArray transcript(const QByteArray &input, qsizetype piece = 0,
                      HttpRequestReader::Limits limits = {})
{
    HttpRequestReader reader(limits);
    QByteArray buffer;
    QByteArray out;
    QByteArray body;
    for (qsizetype fed = 0; fed < input.size();) {
        const qsizetype take = piece > 0 ? qMin(piece, input.size() - fed) : input.size();
        buffer += input.mid(fed, take);
        fed += take;
        for (;;) {
            qsizetype used = 0;
            const Step step = reader.read(buffer, &used);
            if (used < 0 || used > buffer.size())
                return "used out of range";
            switch (step) {
            case Step::NeedMore:
                break;
            case Step::Head: {
                const auto &head = reader.head();
                out += "head " + head.method.toByteArray() + ' ' + head.target.toByteArray() +
                       (head.keepAlive ? " keep" : " close") + " length " +
                       QByteArray::number(head.contentLength) + '\n';
                for (const auto &field : head.fields)
                    out += "  " + field.name.toByteArray() + '=' + field.value.toByteArray() + '\n';
                break;
            }
            case Step::Body:
                body += reader.body().toByteArray();
                break;
            case Step::End:
                out += "body " + body + "\nend\n";
                body.clear();
                break;
            case Step::Failed:
                return out + "failed " + QByteArray::number(reader.failure().status) + ' ' +
                       reader.failure().message + '\n';
            }
            buffer.remove(0, used);
            if (step == Step::NeedMore)
                break;
        }
    }
    return out;
}

} // namespace

class TestHttpRequestReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void requestsWholeAndInPieces_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("get") << QByteArray("GET /a?b=1 HTTP/1.1\r\nHost: x\r\n\r\n")
                             << QByteArray("head GET /a?b=1 keep length 0\n  Host=x\nbody \nend\n");
        QTest::newRow("post with length")
            << QByteArray("POST /t HTTP/1.1\r\nContent-Length: 5\r\nX-Y:  two words \t\r\n\r\n"
                          "hello")
            << QByteArray("head POST /t keep length 5\n  Content-Length=5\n  X-Y=two words\n"
                          "body hello\nend\n");
        QTest::newRow("empty lines before a request, pipelined")
            << QByteArray("\r\n\r\nGET /1 HTTP/1.1\r\n\r\nPUT /2 HTTP/1.1\r\nContent-Length: 2\r\n"
                          "\r\nok\r\nDELETE /3 HTTP/1.1\r\n\r\n")
            << QByteArray("head GET /1 keep length 0\nbody \nend\n"
                          "head PUT /2 keep length 2\n  Content-Length=2\nbody ok\nend\n"
                          "head DELETE /3 keep length 0\nbody \nend\n");
        QTest::newRow("chunked, extensions and trailers")
            << QByteArray("POST /c HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n"
                          "5;name=value\r\nhello\r\n06 \r\n world\r\n0\r\nX-Sum: 1\r\n\r\n"
                          "GET /next HTTP/1.1\r\n\r\n")
            << QByteArray("head POST /c keep length -1\n  Transfer-Encoding=Chunked\n"
                          "body hello world\nend\nhead GET /next keep length 0\nbody \nend\n");
        QTest::newRow("HTTP/1.0 closes unless asked")
            << QByteArray(
                   "GET /a HTTP/1.0\r\n\r\nGET /b HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
            << QByteArray("head GET /a close length 0\nbody \nend\n"
                          "head GET /b keep length 0\n  Connection=Keep-Alive\nbody \nend\n");
        QTest::newRow("close among options")
            << QByteArray("GET / HTTP/1.1\r\nConnection: keep-alive, CLOSE\r\n\r\n")
            << QByteArray(
                   "head GET / close length 0\n  Connection=keep-alive, CLOSE\nbody \nend\n");
        QTest::newRow("empty value, obs-text kept")
            << QByteArray("GET / HTTP/1.1\r\nX-Empty:\r\nX-Text: caf\xc3\xa9\r\n\r\n")
            << QByteArray(
                   "head GET / keep length 0\n  X-Empty=\n  X-Text=caf\xc3\xa9\nbody \nend\n");
    }
    void requestsWholeAndInPieces()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, expected);
        QCOMPARE(transcript(input), expected);
        for (const qsizetype piece : {1, 2, 3, 7, 16})
            QCOMPARE(transcript(input, piece), expected);
    }

    void refused_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("message");
        const QByteArray get = "GET / HTTP/1.1\r\n";
        QTest::newRow("not HTTP") << QByteArray("THIS IS NOT HTTP\r\n\r\n") << 400
                                  << QByteArray("HTTP version");
        QTest::newRow("bare LF") << QByteArray("GET / HTTP/1.1\nHost: x\n\n") << 400
                                 << QByteArray("bare LF");
        QTest::newRow("bare LF in a header") << get + "Host: x\n\r\n"
                                             << 400 << QByteArray("bare LF");
        QTest::newRow("bare CR in a value") << get + "X-A: b\rc\r\n\r\n"
                                            << 400 << QByteArray("control character");
        QTest::newRow("NUL in a value")
            << get + QByteArray("X-A: b\0c\r\n\r\n", 14) << 400 << QByteArray("control character");
        QTest::newRow("folded header") << get + "X-A: b\r\n c\r\n\r\n"
                                       << 400 << QByteArray("folded");
        QTest::newRow("space before the colon") << get + "Content-Length : 5\r\n\r\nhello" << 400
                                                << QByteArray("no space before the colon");
        QTest::newRow("no colon") << get + "Host x\r\n\r\n" << 400 << QByteArray("name: value");
        QTest::newRow("empty name") << get + ": x\r\n\r\n" << 400 << QByteArray("name: value");
        QTest::newRow("length twice")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nab")
            << 400 << QByteArray("more than once");
        QTest::newRow("length not a number")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\nhello") << 400
            << QByteArray("size in bytes");
        QTest::newRow("length and chunked")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: "
                          "chunked\r\n\r\n0\r\n\r\n")
            << 400 << QByteArray("not both");
        QTest::newRow("other coding")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") << 400
            << QByteArray("only transfer coding");
        QTest::newRow("coding twice") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: "
                                                    "chunked\r\nTransfer-Encoding: chunked\r\n\r\n")
                                      << 400 << QByteArray("more than once");
        QTest::newRow("chunked HTTP/1.0")
            << QByteArray("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n") << 400
            << QByteArray("HTTP/1.0 has no Transfer-Encoding");
        QTest::newRow("HTTP/2.0") << QByteArray("GET / HTTP/2.0\r\n\r\n") << 400
                                  << QByteArray("asked for HTTP/2.0");
        QTest::newRow("two spaces")
            << QByteArray("GET  / HTTP/1.1\r\n\r\n") << 400 << QByteArray("target");
        QTest::newRow("space in the target")
            << QByteArray("GET /a b HTTP/1.1\r\n\r\n") << 400 << QByteArray("HTTP version");
        QTest::newRow("non-ASCII target") << QByteArray("GET /caf\xc3\xa9 HTTP/1.1\r\n\r\n") << 400
                                          << QByteArray("visible ASCII");
        QTest::newRow("chunk longer than said")
            << QByteArray(
                   "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n")
            << 400 << QByteArray("longer than its size line");
        QTest::newRow("chunk size not hexadecimal")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n") << 400
            << QByteArray("size in hexadecimal");
        QTest::newRow("chunk size line without end")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;" +
                          QByteArray(5000, 'e'))
            << 400 << QByteArray("longer than 4096 bytes");
        QTest::newRow("control character in a chunk extension")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;a\x01\r\nx\r\n")
            << 400 << QByteArray("size in hexadecimal");
        QTest::newRow("chunk size line with a bare LF")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc") << 400
            << QByteArray("bare LF");
        QTest::newRow("trailer without a colon")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nbad\r\n\r\n")
            << 400 << QByteArray("not a field");
    }
    void refused()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, status);
        QFETCH(QByteArray, message);
        for (const qsizetype piece : {0, 1, 5}) {
            const QByteArray out = transcript(input, piece);
            const QByteArray expected = "failed " + QByteArray::number(status) + ' ';
            QVERIFY2(out.contains(expected) && out.contains(message),
                     QByteArray("piece " + QByteArray::number(piece) + ": " + out).constData());
            QVERIFY2(!out.contains("\nend\n"), out.constData());
        }
    }

    // Every control character but HTAB is refused wherever it is in a value, long or short;
    // HTAB, space, the visible characters and bytes from 0x80 up are taken.
    void valueBytes()
    {
        const QByteArray prefix = "GET / HTTP/1.1\r\nX-V: ";
        for (int byte = 0; byte < 256; ++byte) {
            if (byte == '\r' || byte == '\n')
                continue; // line ends: the "bare" cases above
            const bool taken = byte == '\t' || (byte >= 0x20 && byte != 0x7F);
            for (const int at : {0, 3, 7, 8, 15, 20}) {
                QByteArray value(21, 'v');
                value[at] = char(byte);
                const QByteArray out = transcript(prefix + value + "z\r\n\r\n");
                QVERIFY2(out.endsWith("end\n") == taken,
                         qPrintable(QStringLiteral("byte %1 at %2: %3")
                                        .arg(byte)
                                        .arg(at)
                                        .arg(QString::fromLatin1(out))));
            }
        }
    }

    void limits()
    {
        const HttpRequestReader::Limits small{64, 10};
        // The head: whole but too long, and still arriving with no end in sight.
        const QByteArray longHead = "GET / HTTP/1.1\r\nX-A: " + QByteArray(60, 'a') + "\r\n\r\n";
        QVERIFY(transcript(longHead, 0, small).startsWith("failed 431 "));
        QVERIFY(transcript(longHead.first(70), 0, small).startsWith("failed 431 "));
        // Exactly at the limit is taken.
        const QByteArray fits = "GET / HTTP/1.1\r\nX-A: " + QByteArray(64 - 25, 'a') + "\r\n\r\n";
        QCOMPARE(fits.size(), 64);
        QVERIFY(transcript(fits, 0, small).endsWith("end\n"));
        // The body: by its length, before any of it arrives; chunked, by the chunk that passes.
        QCOMPARE(transcript("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", 0, small),
                 QByteArray("failed 413 the request body is 11 bytes; the limit is 10\n"));
        QVERIFY(transcript("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n", 0,
                           small)
                    .startsWith("failed 413 "));
        const QByteArray chunked = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
        QVERIFY(transcript(chunked + "5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n", 1, small)
                    .endsWith("body helloworld\nend\n"));
        QVERIFY(transcript(chunked + "5\r\nhello\r\n6\r\n", 0, small).contains("failed 413 "));
        QVERIFY(transcript(chunked + "000000000000000000000005\r\nhello\r\n0\r\n\r\n", 0, small)
                    .endsWith("body hello\nend\n"));
        QVERIFY(
            transcript(chunked + "fffffffffffffffffffff\r\n", 0, small).contains("failed 413 "));
        // Fields after the last chunk count against the head's limit.
        QVERIFY(transcript(chunked + "0\r\nX-T: " + QByteArray(80, 't') + "\r\n\r\n", 3, small)
                    .contains("failed 431 "));
    }

    void beginsWithItsFirstByte()
    {
        HttpRequestReader reader({});
        qsizetype used = 0;
        QCOMPARE(reader.read("\r\n\r\n", &used), Step::NeedMore);
        QCOMPARE(used, 4);
        QVERIFY(!reader.inRequest()); // empty lines between requests are not a request
        QCOMPARE(reader.read("G", &used), Step::NeedMore);
        QCOMPARE(used, 0);
        QVERIFY(reader.inRequest());
        QCOMPARE(reader.read("GET / HTTP/1.1\r\n\r\n", &used), Step::Head);
        QCOMPARE(used, 18);
        QVERIFY(reader.hasStepDue());
        QCOMPARE(reader.read({}, &used), Step::End);
        QVERIFY(!reader.inRequest());
    }
};

QTEST_APPLESS_MAIN(TestHttpRequestReader)
#include "tst_httprequestreader.moc"
