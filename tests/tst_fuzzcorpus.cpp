// SPDX-License-Identifier: GPL-3.0-or-later
// Every file of the fuzzers' seed corpora (tests/fuzz/corpus/<target>/) and every input that
// once crashed one (tests/fuzz/crashes/<target>/) goes through the same function the fuzzer
// calls (tests/fuzz/targets.h), in every build, without clang. The seeds are real inputs (the
// built-ins, traces and segments of real runs, recorded sock_diag replies), so each must be
// accepted, except those named bad-*; a crash input must only come back without breaking an
// invariant.
#include <QDir>
#include <QFile>
#include <QTest>

#include "fuzz/targets.h"
#include "scenario/library.h"

using namespace synack;

namespace {

const QString kFuzzDir = QStringLiteral(SYNACK_SOURCE_DIR "/tests/fuzz");

const fuzz::Target* targetNamed(const QString& name)
{
    for (const fuzz::Target& t : fuzz::kTargets)
        if (name == QLatin1String(t.name.data(), static_cast<qsizetype>(t.name.size())))
            return &t;
    return nullptr;
}

QString nameOf(const fuzz::Target& t)
{
    return QString::fromLatin1(t.name.data(), static_cast<qsizetype>(t.name.size()));
}

fuzz::Outcome run(const fuzz::Target& target, const QByteArray& bytes)
{
    return target.run({ reinterpret_cast<const std::uint8_t*>(bytes.constData()), static_cast<std::size_t>(bytes.size()) });
}

} // namespace

class TestFuzzCorpus : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyTargetHasSeeds()
    {
        for (const fuzz::Target& t : fuzz::kTargets) {
            const QDir dir(kFuzzDir + QStringLiteral("/corpus/") + nameOf(t));
            const auto files = dir.entryList(QDir::Files);
            QVERIFY2(files.size() >= 3, qPrintable(dir.path() + QStringLiteral(": fewer than 3 seeds")));
        }
    }

    void replay_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("mustAccept");
        for (const fuzz::Target& t : fuzz::kTargets) {
            for (const char* kind : { "corpus", "crashes" }) {
                const QDir dir(kFuzzDir + u'/' + QLatin1String(kind) + u'/' + nameOf(t));
                for (const QString& file : dir.entryList(QDir::Files, QDir::Name)) {
                    const bool seed = qstrcmp(kind, "corpus") == 0 && !file.startsWith(QStringLiteral("bad-"));
                    QTest::addRow("%s/%s/%s", kind, t.name.data(), qPrintable(file)) << nameOf(t) << dir.filePath(file) << seed;
                }
            }
        }
    }
    void replay()
    {
        QFETCH(QString, target);
        QFETCH(QString, path);
        QFETCH(bool, mustAccept);
        QFile f(path);
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(path));
        const fuzz::Target* t = targetNamed(target);
        QVERIFY(t);
        const fuzz::Outcome out = run(*t, f.readAll());
        QVERIFY2(out.broken.empty(), out.broken.c_str());
        if (mustAccept)
            QVERIFY2(out.accepted, qPrintable(path + QStringLiteral(": a real input, refused")));
        else if (QFileInfo(path).fileName().startsWith(QStringLiteral("bad-")))
            QVERIFY2(!out.accepted, qPrintable(path + QStringLiteral(": a bad input, accepted")));
    }

    /// The built-ins as compiled in (the corpus holds a copy that may lag behind them).
    void everyBuiltinParses_data()
    {
        QTest::addColumn<QString>("name");
        for (const auto& n : Library::names())
            QTest::addRow("%s", n.c_str()) << QString::fromStdString(n);
    }
    void everyBuiltinParses()
    {
        QFETCH(QString, name);
        const auto text = Library::text(name.toStdString());
        QVERIFY(text);
        const fuzz::Outcome out = fuzz::scenario({ reinterpret_cast<const std::uint8_t*>(text->data()), text->size() });
        QVERIFY2(out.broken.empty(), out.broken.c_str());
        QVERIFY(out.accepted);
    }

    /// The targets tell valid from invalid input, so "accepted" above means something.
    void targetsRefuseGarbage()
    {
        const QByteArray garbage("\x01\x02not a scenario, a trace, a packet or a netlink reply\xff", 56);
        for (const fuzz::Target& t : fuzz::kTargets) {
            const fuzz::Outcome out = run(t, garbage);
            QVERIFY2(!out.accepted, t.name.data());
            QVERIFY2(out.broken.empty(), out.broken.c_str());
            const fuzz::Outcome empty = run(t, QByteArray());
            QVERIFY2(!empty.accepted, t.name.data());
            QVERIFY2(empty.broken.empty(), empty.broken.c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestFuzzCorpus)
#include "tst_fuzzcorpus.moc"
