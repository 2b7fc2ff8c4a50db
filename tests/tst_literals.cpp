// SPDX-License-Identifier: GPL-3.0-or-later
// The scenario language's lowest layer, on its own: UTF-8 checks, columns and separators; numbers,
// sizes, durations, ports and addresses with their exact messages; lines into words and options.
// tst_parser checks the same through whole scenarios; these pin each piece where it is made.
#include <QByteArray>
#include <QTest>

#include <string>
#include <string_view>

#include <sys/socket.h>

#include "scenario/lexer.h"
#include "scenario/literals.h"
#include "scenario/text.h"

using namespace synack;

namespace {

std::string_view view(const QByteArray& bytes)
{
    return std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size()));
}

/// "value" or "error: message", so one column holds either outcome.
QByteArray outcome(const Number& n)
{
    return n.ok() ? QByteArray::number(static_cast<qint64>(n.value)) : "error: " + QByteArray::fromStdString(n.error);
}

/// "text@column text@column ...".
QByteArray tokensText(const std::vector<Token>& tokens)
{
    QByteArray out;
    for (const Token& t : tokens) {
        if (!out.isEmpty())
            out += ' ';
        out += QByteArray::fromStdString(t.text) + '@' + QByteArray::number(t.col);
    }
    return out;
}

} // namespace

class TestLiterals : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void invalidUtf8_data();
    void invalidUtf8();
    void codePoints_data();
    void codePoints();
    void trim_data();
    void trim();
    void suggestion_data();
    void suggestion();
    void sizes_data();
    void sizes();
    void durations_data();
    void durations();
    void seconds_data();
    void seconds();
    void counts_data();
    void counts();
    void ports_data();
    void ports();
    void loopback_data();
    void loopback();
    void limitsText();
    void lines_data();
    void lines();
    void args_data();
    void args();
};

void TestLiterals::invalidUtf8_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("at"); // -1: all valid
    QTest::addRow("ascii") << QByteArray("listen srv") << -1;
    QTest::addRow("empty") << QByteArray() << -1;
    QTest::addRow("chinese") << QByteArray("en: \xE4\xB8\xAD\xE6\x96\x87") << -1;
    QTest::addRow("four bytes") << QByteArray("\xF0\x9F\x98\x80") << -1;
    QTest::addRow("latin-1 byte") << QByteArray("caf\xE9") << 3;
    QTest::addRow("lone continuation") << QByteArray("a\x80") << 1;
    QTest::addRow("cut short at the end") << QByteArray("ab\xE4\xB8") << 2;
    QTest::addRow("cut short by ascii") << QByteArray("\xE4"
                                                      "a\xB8")
                                        << 0;
    QTest::addRow("overlong slash") << QByteArray("x\xC0\xAF") << 1;
    QTest::addRow("surrogate") << QByteArray("\xED\xA0\x80") << 0;
    QTest::addRow("past U+10FFFF") << QByteArray("\xF4\x90\x80\x80") << 0;
    QTest::addRow("ff") << QByteArray("ok \xFF") << 3;
}

void TestLiterals::invalidUtf8()
{
    QFETCH(QByteArray, text);
    QFETCH(int, at);
    const std::size_t found = invalidUtf8At(view(text));
    QCOMPARE(found == std::string_view::npos ? -1 : static_cast<int>(found), at);
}

void TestLiterals::codePoints_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("count");
    QTest::addRow("ascii") << QByteArray("abc") << 3;
    QTest::addRow("empty") << QByteArray() << 0;
    QTest::addRow("chinese") << QByteArray("\xE4\xB8\xAD\xE6\x96\x87") << 2;
    QTest::addRow("no-break space") << QByteArray("a\xC2\xA0"
                                                  "b")
                                    << 3;
    QTest::addRow("emoji") << QByteArray("\xF0\x9F\x98\x80") << 1;
}

void TestLiterals::codePoints()
{
    QFETCH(QByteArray, text);
    QFETCH(int, count);
    QCOMPARE(synack::codePoints(view(text)), count);
}

void TestLiterals::trim_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("trimmed");
    QTest::addRow("spaces") << QByteArray("  a b  ") << QByteArray("a b");
    QTest::addRow("tabs") << QByteArray("\ta\t") << QByteArray("a");
    QTest::addRow("no-break spaces") << QByteArray("\xC2\xA0"
                                                   "a\xC2\xA0")
                                     << QByteArray("a");
    QTest::addRow("ideographic spaces") << QByteArray("\xE3\x80\x80\xE4\xB8\xAD\xE3\x80\x80")
                                        << QByteArray("\xE4\xB8\xAD");
    QTest::addRow("only separators") << QByteArray(" \t\xC2\xA0") << QByteArray();
    QTest::addRow("nothing to trim") << QByteArray("a") << QByteArray("a");
}

void TestLiterals::trim()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, trimmed);
    const std::string_view t = synack::trim(view(text));
    QCOMPARE(QByteArray(t.data(), static_cast<qsizetype>(t.size())), trimmed);
}

void TestLiterals::suggestion_data()
{
    QTest::addColumn<QByteArray>("word");
    QTest::addColumn<QByteArray>("hint");
    QTest::addRow("one letter missing") << QByteArray("conect") << QByteArray(" (did you mean 'connect'?)");
    QTest::addRow("two letters off") << QByteArray("lisen") << QByteArray(" (did you mean 'listen'?)");
    QTest::addRow("too far") << QByteArray("bogus") << QByteArray();
}

void TestLiterals::suggestion()
{
    QFETCH(QByteArray, word);
    QFETCH(QByteArray, hint);
    QCOMPARE(QByteArray::fromStdString(synack::suggestion(view(word), kStepKeywords)), hint);
}

void TestLiterals::sizes_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("signedSize");
    QTest::addColumn<QByteArray>("expected");
    QTest::addRow("plain") << QByteArray("1500") << false << QByteArray("1500");
    QTest::addRow("k") << QByteArray("4k") << false << QByteArray("4096");
    QTest::addRow("M") << QByteArray("1M") << false << QByteArray("1048576");
    QTest::addRow("fraction") << QByteArray("1.5k") << false << QByteArray("1536");
    QTest::addRow("fraction not whole") << QByteArray("1.0001k") << false
                                        << QByteArray("error: '1.0001k' is not a whole number of bytes");
    QTest::addRow("point without suffix")
        << QByteArray("1.5") << false << QByteArray("error: '1.5' is not a whole number of bytes");
    QTest::addRow("word") << QByteArray("lots") << false
                          << QByteArray("error: bad size 'lots': write a number of bytes, optionally with k (x1024) "
                                        "or M (x1048576), e.g. 1000 or 4k");
    QTest::addRow("nineteen digits") << QByteArray("1234567890123456789") << false
                                     << QByteArray("error: '1234567890123456789' is too large");
    QTest::addRow("overflow by the suffix")
        << QByteArray("99999999999999M") << false << QByteArray("error: '99999999999999M' is too large");
    QTest::addRow("negative") << QByteArray("-1") << true << QByteArray("-1");
    QTest::addRow("negative k") << QByteArray("-2k") << true << QByteArray("-2048");
    QTest::addRow("negative where not allowed")
        << QByteArray("-1") << false
        << QByteArray("error: bad size '-1': write a number of bytes, optionally with k (x1024) or M (x1048576), "
                      "e.g. 1000 or 4k");
}

void TestLiterals::sizes()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, signedSize);
    QFETCH(QByteArray, expected);
    QCOMPARE(outcome(signedSize ? parseSignedSize(view(text)) : parseSize(view(text))), expected);
}

void TestLiterals::durations_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("bareIsMs");
    QTest::addColumn<QByteArray>("expected");
    QTest::addRow("ms") << QByteArray("500ms") << false << QByteArray("500");
    QTest::addRow("s") << QByteArray("2s") << false << QByteArray("2000");
    QTest::addRow("fraction") << QByteArray("1.5s") << false << QByteArray("1500");
    QTest::addRow("upper case") << QByteArray("2S") << false << QByteArray("2000");
    QTest::addRow("no unit") << QByteArray("5") << false << QByteArray("error: '5' needs a unit: write 5ms or 5s");
    QTest::addRow("bare milliseconds") << QByteArray("5") << true << QByteArray("5");
    QTest::addRow("less than a millisecond")
        << QByteArray("0.0001s") << false << QByteArray("error: '0.0001s' is not a whole number of milliseconds");
    QTest::addRow("fraction of a millisecond")
        << QByteArray("1.5ms") << false << QByteArray("error: '1.5ms' is not a whole number of milliseconds");
    QTest::addRow("unit alone") << QByteArray("s") << false
                                << QByteArray("error: bad duration 's': write a number with ms or s, e.g. 500ms, 2s "
                                              "or 1.5s");
    QTest::addRow("minutes") << QByteArray("2m") << false
                             << QByteArray("error: bad duration '2m': write a number with ms or s, e.g. 500ms, 2s "
                                           "or 1.5s");
}

void TestLiterals::durations()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, bareIsMs);
    QFETCH(QByteArray, expected);
    QCOMPARE(outcome(bareIsMs ? parseMilliseconds(view(text)) : parseDuration(view(text))), expected);
}

void TestLiterals::seconds_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("expected");
    QTest::addRow("bare") << QByteArray("30") << QByteArray("30");
    QTest::addRow("with s") << QByteArray("30s") << QByteArray("30");
    QTest::addRow("fraction") << QByteArray("1.5s") << QByteArray("error: '1.5s' is not a whole number of seconds");
    QTest::addRow("ms") << QByteArray("500ms")
                        << QByteArray("error: bad number of seconds '500ms': write whole seconds, e.g. 30 or 30s");
}

void TestLiterals::seconds()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, expected);
    QCOMPARE(outcome(parseSeconds(view(text))), expected);
}

void TestLiterals::counts_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("expected");
    QTest::addRow("digits") << QByteArray("3") << QByteArray("3");
    QTest::addRow("zero") << QByteArray("0") << QByteArray("0");
    QTest::addRow("point") << QByteArray("3.0")
                           << QByteArray("error: bad number '3.0': expected a whole number such as 3");
    QTest::addRow("suffix") << QByteArray("4k")
                            << QByteArray("error: bad number '4k': expected a whole number such as 3");
    QTest::addRow("empty") << QByteArray() << QByteArray("error: bad number '': expected a whole number such as 3");
}

void TestLiterals::counts()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, expected);
    QCOMPARE(outcome(parseCount(view(text))), expected);
}

void TestLiterals::ports_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("connect");
    QTest::addColumn<QByteArray>("expected");
    const QByteArray bindRange = "0 (any free port) or 1024-65535 (lower ports need privileges)";
    QTest::addRow("any") << QByteArray("0") << false << QByteArray("0");
    QTest::addRow("lowest") << QByteArray("1024") << false << QByteArray("1024");
    QTest::addRow("highest") << QByteArray("65535") << true << QByteArray("65535");
    QTest::addRow("privileged") << QByteArray("80") << false << "error: port '80' is not allowed: use " + bindRange;
    QTest::addRow("too high") << QByteArray("65536") << false << "error: port '65536' is not allowed: use " + bindRange;
    QTest::addRow("not a number") << QByteArray("http") << false
                                  << "error: port 'http' is not allowed: use " + bindRange;
    QTest::addRow("connect to any") << QByteArray(
        "0") << true << QByteArray("error: port '0' is not allowed: use 1024-65535 (lower ports need privileges)");
}

void TestLiterals::ports()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, connect);
    QFETCH(QByteArray, expected);
    QCOMPARE(outcome(parsePort(view(text), connect ? PortUse::Connect : PortUse::Bind)), expected);
}

void TestLiterals::loopback_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("family"); // 0: refused
    QTest::addColumn<QByteArray>("expected"); // the host, or the message
    const QByteArray onlyLoopback = "': scenarios may only use loopback addresses (127.x.y.z or ::1) and, on the "
                                    "wire, the gated lab's hosts (192.0.2.1, 192.0.2.2)";
    QTest::addRow("ipv4") << QByteArray("127.0.0.1") << AF_INET << QByteArray("127.0.0.1");
    QTest::addRow("other ipv4 loopback") << QByteArray("127.0.0.2") << AF_INET << QByteArray("127.0.0.2");
    QTest::addRow("ipv6") << QByteArray("::1") << AF_INET6 << QByteArray("::1");
    QTest::addRow("ipv6 in brackets") << QByteArray("[::1]") << AF_INET6 << QByteArray("::1");
    QTest::addRow("the gated lab's server host") << QByteArray("192.0.2.2") << AF_INET << QByteArray("192.0.2.2");
    QTest::addRow("not one of the hosts") << QByteArray("192.0.2.3") << 0 << "'192.0.2.3" + onlyLoopback;
    QTest::addRow("not loopback") << QByteArray("10.0.0.1") << 0 << "'10.0.0.1" + onlyLoopback;
    QTest::addRow("host name") << QByteArray("localhost") << 0 << "'localhost" + onlyLoopback + ", written as numbers";
}

void TestLiterals::loopback()
{
    QFETCH(QByteArray, text);
    QFETCH(int, family);
    QFETCH(QByteArray, expected);
    const Parsed<Loopback> addr = parseLoopback(view(text));
    QCOMPARE(addr.value.family, family);
    QCOMPARE(QByteArray::fromStdString(addr.ok() ? addr.value.host : addr.error), expected);
}

void TestLiterals::limitsText()
{
    QCOMPARE(sizeText(64ll << 20), std::string("64M"));
    QCOMPARE(sizeText(4096), std::string("4k"));
    QCOMPARE(sizeText(1000), std::string("1000 bytes"));
    QCOMPARE(durationText(120'000), std::string("120s"));
    QCOMPARE(durationText(1500), std::string("1500ms"));
}

void TestLiterals::lines_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QByteArray>("tokens");
    QTest::addColumn<QByteArray>("error"); // "column: message", or empty
    QTest::addRow("words") << QByteArray("listen srv backlog=4") << QByteArray("listen@1 srv@8 backlog=4@12")
                           << QByteArray();
    QTest::addRow("indented") << QByteArray("\t  close c") << QByteArray("close@4 c@10") << QByteArray();
    QTest::addRow("blank") << QByteArray("   ") << QByteArray() << QByteArray();
    QTest::addRow("comment") << QByteArray("close c # done") << QByteArray("close@1 c@7") << QByteArray();
    QTest::addRow("hash in quotes") << QByteArray("title: \"Port #1\" # note")
                                    << QByteArray("title:@1 \"Port@8 #1\"@14") << QByteArray();
    QTest::addRow("columns count characters") << QByteArray("en: \xE4\xB8\xAD\xE6\x96\x87 x")
                                              << QByteArray("en:@1 \xE4\xB8\xAD\xE6\x96\x87@5 x@8") << QByteArray();
    QTest::addRow("no-break space separates") << QByteArray("close\xC2\xA0"
                                                            "c")
                                              << QByteArray("close@1 c@7") << QByteArray();
    QTest::addRow("ideographic space separates") << QByteArray("close\xE3\x80\x80"
                                                               "c")
                                                 << QByteArray("close@1 c@7") << QByteArray();
    QTest::addRow("unterminated quote") << QByteArray("en: say \"hi") << QByteArray()
                                        << QByteArray("9: unterminated string: this \" has no closing \"");
    QTest::addRow("quote in a comment") << QByteArray("close c # \"") << QByteArray("close@1 c@7") << QByteArray();
    QTest::addRow("not utf-8 after chinese") << QByteArray("en: \xE4\xB8\xAD\xFF") << QByteArray()
                                             << QByteArray("6: this line is not valid UTF-8; save the file as UTF-8");
}

void TestLiterals::lines()
{
    QFETCH(QByteArray, raw);
    QFETCH(QByteArray, tokens);
    QFETCH(QByteArray, error);
    const LexedLine line = lexLine(view(raw));
    QCOMPARE(tokensText(line.tokens), tokens);
    QCOMPARE(line.error ? QByteArray::number(line.error->column) + ": " + QByteArray::fromStdString(line.error->message)
                        : QByteArray(),
        error);
}

void TestLiterals::args_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("words");
    QTest::addColumn<QByteArray>("options"); // "key:keytext@col=value@col ..."
    QTest::addRow("words only") << QByteArray("accept srv conn") << QByteArray("srv@8 conn@12") << QByteArray();
    QTest::addRow("glued") << QByteArray("bind a port=5000") << QByteArray("a@6") << QByteArray("port:port@8=5000@13");
    QTest::addRow("key is lowered") << QByteArray("bind a PORT=5000") << QByteArray("a@6")
                                    << QByteArray("port:PORT@8=5000@13");
    QTest::addRow("spaces around") << QByteArray("listen a backlog = 4") << QByteArray("a@8")
                                   << QByteArray("backlog:backlog@10=4@20");
    QTest::addRow("space after") << QByteArray("listen a backlog= 4") << QByteArray("a@8")
                                 << QByteArray("backlog:backlog@10=4@19");
    QTest::addRow("space before") << QByteArray("listen a backlog =4") << QByteArray("a@8")
                                  << QByteArray("backlog:backlog@10=4@19");
    QTest::addRow("no value") << QByteArray("bind a port=") << QByteArray("a@6") << QByteArray("port:port@8=@13");
    QTest::addRow("no value before another option") << QByteArray("bind a port= addr=::1") << QByteArray("a@6")
                                                    << QByteArray("port:port@8=@13 addr:addr@14=::1@19");
    // The word before a lone '=' is its key, even where a name was meant.
    QTest::addRow("word before equals") << QByteArray("bind a =5") << QByteArray() << QByteArray("a:a@6=5@9");
    QTest::addRow("no key") << QByteArray("bind =5") << QByteArray() << QByteArray(":@6=5@7");
    QTest::addRow("lone equals at the end")
        << QByteArray("bind a port =") << QByteArray("a@6") << QByteArray("port:port@8=@14");
    QTest::addRow("two options") << QByteArray("connect c port=5000 addr=::1") << QByteArray("c@9")
                                 << QByteArray("port:port@11=5000@16 addr:addr@21=::1@26");
}

void TestLiterals::args()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, words);
    QFETCH(QByteArray, options);
    const Args args = splitArgs(lexLine(view(line)).tokens);
    QCOMPARE(tokensText(args.words), words);
    QByteArray got;
    for (const Option& o : args.options) {
        if (!got.isEmpty())
            got += ' ';
        got += QByteArray::fromStdString(o.key) + ':' + tokensText({ o.keyToken }) + '=' + tokensText({ o.value });
    }
    QCOMPARE(got, options);
}

QTEST_GUILESS_MAIN(TestLiterals)
#include "tst_literals.moc"
