// `kubedeck lint` as a user runs it: the built executable on the fixture manifests under
// data/lint (copied to a temporary folder that is also the working directory, so that no
// .kubedeck-lint.yaml above it is found). A clean set exits 0, a broken one 1 with a line per
// problem, unreadable inputs 2 with the rest still reported, usage errors 2; directories are
// searched recursively without hidden entries; stdin, --kubernetes-version, --strict, --config,
// --schema-dir (a CRD and a JSON schema), --list-rules and the JSON, SARIF and JUnit reports.
#include "manifest/rules.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include <nlohmann/json.hpp>

#include <set>

using nlohmann::json;

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
    QStringList lines() const { return out.split(u'\n', Qt::SkipEmptyParts); }
};

QString s(const char *text) {
    return QString::fromUtf8(text);
}

bool copyTree(const QString &from, const QString &to) {
    QDirIterator it(from, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString source = it.next();
        const QString target = to + u'/' + QDir(from).relativeFilePath(source);
        if (!QDir().mkpath(QFileInfo(target).path()) || !QFile::copy(source, target))
            return false;
    }
    return true;
}

bool writeFile(const QString &path, const QByteArray &text) {
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
}

} // namespace

class TstLintCommand final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    Run lint(const QStringList &args, const QByteArray &input = {}) {
        QProcess p;
        p.setWorkingDirectory(m_dir.path());
        p.start(QStringLiteral(KD_BINARY_DIR "/app/kubedeck"), QStringList{s("lint")} + args);
        if (!p.waitForStarted(10'000))
            return {-1, {}, s("kubedeck did not start")};
        p.write(input);
        p.closeWriteChannel();
        if (!p.waitForFinished(60'000)) {
            p.kill();
            p.waitForFinished();
            return {-1, {}, s("kubedeck timed out")};
        }
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                QString::fromUtf8(p.readAllStandardOutput()),
                QString::fromUtf8(p.readAllStandardError())};
    }

    QByteArray fixture(const char *relative) const {
        QFile f(m_dir.filePath(QString::fromUtf8(relative)));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private slots:
    void initTestCase() {
        QVERIFY(QFile::exists(QStringLiteral(KD_BINARY_DIR "/app/kubedeck")));
        QVERIFY(m_dir.isValid());
        QVERIFY(copyTree(s(KD_SOURCE_DIR "/tests/integration/data/lint"), m_dir.path()));
        // Hidden entries are never linted (git cannot hold a nested .git, so it is made here).
        QVERIFY(writeFile(m_dir.filePath(s("clean/.git/broken.yaml")), "a: [unclosed\n"));
        QVERIFY(writeFile(m_dir.filePath(s("clean/serving/.draft.yaml")), "kind: [\n"));
    }

    void cleanSetPassesAndDirectoriesAreSearched() {
        const Run r = lint({s("clean")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
        QVERIFY2(!r.out.contains(s(": error: ")), qPrintable(r.out));
        QCOMPARE(r.lines().last(), s("no problems in 5 documents (4 files)"));

        const Run j = lint({s("clean"), s("-o"), s("json")});
        QCOMPARE(j.exitCode, 0);
        const json report = json::parse(j.out.toStdString());
        std::vector<std::string> files;
        for (const json &f : report["files"])
            files.push_back(f["path"].get<std::string>());
        // Recursive, sorted, only *.yaml|*.yml|*.json, no hidden folders or files.
        const std::vector<std::string> expected{
            "clean/serving/llm-network.json", "clean/serving/llm-scaling.yaml",
            "clean/serving/llm.yaml", "clean/serving/settings/config.yml"};
        QCOMPARE(files, expected);
    }

    void badSetReportsEveryProblemWithItsPlace() {
        const Run r = lint({s("bad/serving.yaml")});
        QCOMPARE(r.exitCode, 1);
        const QStringList lines = r.lines();
        auto has = [&lines](const char *pattern) {
            const QRegularExpression re(QString::fromUtf8(pattern));
            for (const QString &line : lines)
                if (re.match(line).hasMatch())
                    return true;
            return false;
        };
        QVERIFY2(has("^bad/serving\\.yaml:18:64: error: gpu-requests-limits: .*\\[Deployment "
                     "ml-serving/llm, container server\\]$"),
                 qPrintable(r.out));
        QVERIFY2(has("^bad/serving\\.yaml:12:7: error: selector-mismatch: .*\\[Deployment "
                     "ml-serving/llm\\]$"),
                 qPrintable(r.out));
        QVERIFY2(has("^bad/serving\\.yaml:27:1: error: yaml-syntax: "), qPrintable(r.out));
        // The document after the broken one is still checked.
        QVERIFY2(has("^bad/serving\\.yaml:34:3: error: field-unknown: .*selectr.*selector"),
                 qPrintable(r.out));
        QVERIFY2(lines.last().contains(s(" in 2 of 2 documents and 1 file as a whole (1 file)")),
                 qPrintable(lines.last()));
        QVERIFY(r.err.isEmpty());
    }

    void readsStandardInput() {
        const Run bad = lint({s("-")}, fixture("bad/serving.yaml"));
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(bad.out.contains(s("\n-:18:")) || bad.out.startsWith(s("-:")),
                 qPrintable(bad.out));
        const Run clean = lint({s("-")}, fixture("clean/serving/llm.yaml"));
        QVERIFY2(clean.exitCode == 0, qPrintable(clean.out));
    }

    void unreadableInputsAreReportedAndTheRestLinted() {
        QVERIFY(QDir().mkpath(m_dir.filePath(s("dangling"))));
        QVERIFY(QFile::link(m_dir.filePath(s("nowhere.yaml")),
                            m_dir.filePath(s("dangling/link.yaml"))));
        const Run r = lint({s("missing.yaml"), s("bad/serving.yaml"), s("dangling")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(s("kubedeck lint: cannot read missing.yaml: No such file")),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains(s("cannot read dangling/link.yaml: No such file")),
                 qPrintable(r.err));
        QVERIFY2(r.out.contains(s("bad/serving.yaml:18:")), qPrintable(r.out));
        QVERIFY2(r.lines().last().endsWith(s("(1 file, 2 could not be read)")), qPrintable(r.out));
        QVERIFY(!r.out.contains(s("cannot read")));

        const Run sarif = lint({s("missing.yaml"), s("clean"), s("-o"), s("sarif")});
        QCOMPARE(sarif.exitCode, 2);
        const json run = json::parse(sarif.out.toStdString())["runs"][0];
        QCOMPARE(run["invocations"][0]["executionSuccessful"].get<bool>(), false);
    }

    void usageErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no paths") << QStringList{} << s("give the files or folders to lint");
        QTest::newRow("format") << QStringList{s("-o"), s("xml"), s("clean")}
                                << s("-o must be text, json, sarif or junit, not 'xml'");
        QTest::newRow("version")
            << QStringList{s("--kubernetes-version"), s("2.x"), s("clean")}
            << s("--kubernetes-version must look like 1.29 or v1.29.3, not '2.x'");
        QTest::newRow("option") << QStringList{s("--frobnicate"), s("clean")}
                                << s("Unknown option 'frobnicate'");
        QTest::newRow("stdin twice") << QStringList{s("-"), s("-")} << s("can be given once");
        QTest::newRow("list-rules format") << QStringList{s("--list-rules"), s("-o"), s("sarif")}
                                           << s("--list-rules prints text or json");
    }

    void usageErrors() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = lint(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    void kubernetesVersionDecidesRemovedApiVersions() {
        const QByteArray hpa = "apiVersion: autoscaling/v2beta2\n"
                               "kind: HorizontalPodAutoscaler\n"
                               "metadata: {name: llm, namespace: ml-serving}\n"
                               "spec:\n"
                               "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: "
                               "llm}\n"
                               "  minReplicas: 2\n"
                               "  maxReplicas: 4\n";
        for (const char *v : {"1.25", "v1.25", "v1.25.16"}) {
            const Run r = lint({s("--kubernetes-version"), s(v), s("-")}, hpa);
            QVERIFY2(r.exitCode == 0, qPrintable(s(v) + u' ' + r.out + r.err));
            QVERIFY2(r.out.contains(s("-:1:13: warning: api-version-deprecated: ")),
                     qPrintable(r.out));
        }
        for (const char *v : {"1.26", "v1.26.1", "v1.30.2-gke.1000"}) {
            const Run r = lint({s("--kubernetes-version"), s(v), s("-")}, hpa);
            QVERIFY2(r.exitCode == 1, qPrintable(s(v) + u' ' + r.out + r.err));
            QVERIFY2(r.out.contains(s("-:1:13: error: api-version-removed: ")), qPrintable(r.out));
        }
    }

    void strictFailsOnWarnings() {
        const Run relaxed = lint({s("warnings")});
        QVERIFY2(relaxed.exitCode == 0, qPrintable(relaxed.out));
        QVERIFY2(relaxed.out.contains(s("warnings/llm.yaml:34:")), qPrintable(relaxed.out));
        QVERIFY2(relaxed.out.contains(s(": warning: image-latest-tag: ")), qPrintable(relaxed.out));
        QVERIFY2(!relaxed.out.contains(s(": error: ")), qPrintable(relaxed.out));
        const Run strict = lint({s("--strict"), s("warnings")});
        QCOMPARE(strict.exitCode, 1);
        QCOMPARE(strict.out, relaxed.out);
    }

    void configDisablesAndOverrides() {
        QVERIFY(writeFile(m_dir.filePath(s("quiet.yaml")), "disable: [image-latest-tag]\n"));
        const Run quiet = lint({s("--strict"), s("--config"), s("quiet.yaml"), s("warnings")});
        QVERIFY2(quiet.exitCode == 0, qPrintable(quiet.out + quiet.err));
        QVERIFY(!quiet.out.contains(s("image-latest-tag")));

        // Found in the working directory without --config; severities can be raised too.
        QVERIFY(writeFile(m_dir.filePath(s("sub/.kubedeck-lint.yaml")),
                          "severity:\n  image-latest-tag: error\n"));
        QVERIFY(copyTree(m_dir.filePath(s("warnings")), m_dir.filePath(s("sub/warnings"))));
        QProcess p;
        p.setWorkingDirectory(m_dir.filePath(s("sub")));
        p.start(s(KD_BINARY_DIR "/app/kubedeck"), {s("lint"), s("warnings")});
        QVERIFY(p.waitForFinished(60'000));
        QCOMPARE(p.exitCode(), 1);
        QVERIFY(p.readAllStandardOutput().contains(": error: image-latest-tag: "));

        QVERIFY(writeFile(m_dir.filePath(s("broken.yaml")), "disable: [image-latest-tga]\n"));
        const Run broken = lint({s("--config"), s("broken.yaml"), s("warnings")});
        QCOMPARE(broken.exitCode, 2);
        QVERIFY2(broken.err.contains(s("broken.yaml:1:")), qPrintable(broken.err));
        QVERIFY(broken.out.isEmpty());
        const Run missing = lint({s("--config"), s("absent.yaml"), s("warnings")});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY2(missing.err.contains(s("cannot read the config absent.yaml")),
                 qPrintable(missing.err));
    }

    void listRulesDocumentsEveryRule() {
        const Run text = lint({s("--list-rules")});
        QCOMPARE(text.exitCode, 0);
        const Run j = lint({s("--list-rules"), s("-o"), s("json")});
        QCOMPARE(j.exitCode, 0);
        std::set<std::string> listed;
        const json rules = json::parse(j.out.toStdString());
        for (const json &rule : rules["rules"])
            listed.insert(rule["id"].get<std::string>());
        QVERIFY(!kd::manifest::ruleCatalog().empty());
        for (const kd::manifest::RuleInfo &rule : kd::manifest::ruleCatalog()) {
            const QString id = QString::fromUtf8(rule.id.data(), qsizetype(rule.id.size()));
            QVERIFY2(text.out.contains(u'\n' + id + s("  [")), qPrintable(id));
            QVERIFY2(listed.contains(std::string(rule.id)), qPrintable(id));
        }
        QCOMPARE(listed.size(), kd::manifest::ruleCatalog().size());
    }

    void schemaDirChecksCustomResources() {
        const Run without = lint({s("crd/manifests")});
        QCOMPARE(without.exitCode, 0);
        QCOMPARE(without.out.count(s(": warning: schema-missing: ")), 2);
        const Run ignored = lint({s("--ignore-missing-schemas"), s("crd/manifests")});
        QCOMPARE(ignored.exitCode, 0);
        QCOMPARE(ignored.lines(), QStringList{s("no problems in 2 documents (1 file)")});

        // A CRD manifest and a kubeconform-style JSON schema file.
        const Run with = lint({s("--schema-dir"), s("crd/schemas"), s("crd/manifests")});
        QCOMPARE(with.exitCode, 1);
        QVERIFY2(with.out.contains(s("crd/manifests/llm.yaml:9:18: error: field-type: ")),
                 qPrintable(with.out));
        QVERIFY2(with.out.contains(s("crd/manifests/llm.yaml:13:7: error: field-unknown: "
                                     "unknown field `storageUrl`")),
                 qPrintable(with.out));
        QVERIFY2(with.out.contains(s("crd/manifests/llm.yaml:21:15: error: field-type: ")),
                 qPrintable(with.out));
        QVERIFY(!with.out.contains(s("schema-missing")));

        // A schema file that is there but broken is named on stderr.
        QVERIFY(writeFile(m_dir.filePath(s("broken-schemas/servingruntime-serving-v1alpha1.json")),
                          "{\"type\": "));
        const Run broken = lint({s("--schema-dir"), s("broken-schemas"), s("crd/manifests")});
        QCOMPARE(broken.exitCode, 0);
        QVERIFY2(broken.err.contains(s("kubedeck lint: warning: schema file "
                                       "broken-schemas/servingruntime-serving-v1alpha1.json")),
                 qPrintable(broken.err));

        const Run missing = lint({s("--schema-dir"), s("nowhere"), s("crd/manifests")});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY(missing.err.contains(s("--schema-dir nowhere is not a folder")));
    }

    void machineReadableReports() {
        const Run j = lint({s("bad"), s("clean"), s("-o"), s("json")});
        QCOMPARE(j.exitCode, 1);
        const json report = json::parse(j.out.toStdString());
        QVERIFY(report["findings"].size() >= 4);
        QCOMPARE(report["summary"]["failed"].get<bool>(), true);

        const Run sarif = lint({s("bad"), s("clean"), s("-o"), s("sarif")});
        QCOMPARE(sarif.exitCode, 1);
        const json log = json::parse(sarif.out.toStdString());
        QCOMPARE(log["version"].get<std::string>(), std::string("2.1.0"));
        const json &run = log["runs"][0];
        QCOMPARE(run["results"].size(), report["findings"].size());
        QCOMPARE(run["tool"]["driver"]["rules"].size(), kd::manifest::ruleCatalog().size());
        QCOMPARE(run["originalUriBaseIds"]["%SRCROOT%"]["uri"].get<std::string>(),
                 "file://" + QDir(m_dir.path()).canonicalPath().toStdString() + '/');
        for (const json &result : run["results"]) {
            const json &location = result["locations"][0]["physicalLocation"];
            QVERIFY(location["artifactLocation"]["uri"].get<std::string>().starts_with("bad/"));
            QVERIFY(location["region"]["startLine"].get<int>() >= 1);
        }

        const Run junit = lint({s("bad"), s("clean"), s("-o"), s("junit")});
        QCOMPARE(junit.exitCode, 1);
        QXmlStreamReader xml(junit.out);
        int suites = 0, failures = 0;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            suites += xml.name() == u"testsuite" ? 1 : 0;
            failures += xml.name() == u"failure" ? 1 : 0;
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(suites, 5);
        QVERIFY(failures >= 4);
    }
};

QTEST_GUILESS_MAIN(TstLintCommand)
#include "tst_lintcommand.moc"
