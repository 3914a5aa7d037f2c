#include "cli/lintcommand.h"

#include "cli/commandline.h"

#include "manifest/lintconfig.h"
#include "manifest/rules.h"
#include "manifest/schemadir.h"

#include <QCommandLineParser>
#include <QRegularExpression>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <system_error>

namespace kd::cli {

namespace fs = std::filesystem;
using manifest::InputError;

namespace {

constexpr const char *kCommand = "kubedeck lint";

int usageError(const QString &message) {
    return cli::usageError("lint", message);
}

void complain(const std::string &message) {
    std::fprintf(stderr, "%s: %s\n", kCommand, message.c_str());
}

bool isManifestName(const fs::path &name) {
    std::string ext = name.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

// Reads at most one byte past the parser's input limit, so that a huge (or endless) input is
// reported by the parser as too large instead of filling memory first.
std::optional<std::string> readStream(std::FILE *file, std::string &error) {
    const std::size_t limit = manifest::YamlLimits{}.maxInputBytes + 1;
    std::string text;
    char buffer[65536];
    while (text.size() < limit) {
        const std::size_t n =
            std::fread(buffer, 1, std::min(sizeof buffer, limit - text.size()), file);
        text.append(buffer, n);
        if (n == 0)
            break;
    }
    if (std::ferror(file)) {
        error = std::strerror(errno);
        return std::nullopt;
    }
    return text;
}

std::optional<std::string> readFile(const std::string &path, std::string &error) {
    if (path == "-")
        return readStream(stdin, error);
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        error = "is a directory";
        return std::nullopt;
    }
    std::unique_ptr<std::FILE, int (*)(std::FILE *)> file(std::fopen(path.c_str(), "rb"),
                                                          &std::fclose);
    if (!file) {
        error = std::strerror(errno);
        return std::nullopt;
    }
    return readStream(file.get(), error);
}

// The manifests under `root`, sorted by path. Hidden entries and links to folders are skipped
// (a link cycle would never end, and .git holds no manifests); named pipes and devices too,
// since reading one may never end. A dangling link is kept, to be reported as unreadable.
void findManifests(const std::string &root, std::vector<std::string> &out,
                   std::vector<InputError> &errors) {
    // Shown relative to what was given: "." gives "a.yaml", not "./a.yaml".
    auto shown = [&root](const fs::path &path) {
        std::string s = path.string();
        return root == "." && s.starts_with("./") ? s.substr(2) : s;
    };
    std::vector<std::string> found;
    std::vector<fs::path> pending{fs::path(root)};
    while (!pending.empty()) {
        const fs::path dir = pending.back();
        pending.pop_back();
        std::error_code ec;
        fs::directory_iterator it(dir, ec), end;
        for (; !ec && it != end; it.increment(ec)) {
            const fs::path name = it->path().filename();
            if (name.string().starts_with('.'))
                continue;
            std::error_code typeError;
            const fs::file_status own = it->symlink_status(typeError);
            const fs::file_status target = it->status(typeError);
            if (fs::is_directory(own))
                pending.push_back(it->path());
            else if (isManifestName(name) &&
                     (fs::is_regular_file(target) || (fs::is_symlink(own) && !fs::exists(target))))
                found.push_back(shown(it->path()));
        }
        if (ec)
            errors.push_back({shown(dir), ec.message()});
    }
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
}

// "1.29", "v1.29", "v1.29.3" or "v1.29.3-gke.1" as "1.29"; nullopt when it is none of them.
std::optional<QString> kubernetesMinorVersion(const QString &text) {
    static const QRegularExpression version(
        QStringLiteral("^v?(1)\\.(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]*)([-+][0-9A-Za-z.+-]*)?)?$"));
    const QRegularExpressionMatch m = version.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    return m.captured(1) + u'.' + m.captured(2);
}

// --config, else .kubedeck-lint.yaml in the current folder or the nearest folder above it.
std::optional<std::string> configPath(const QCommandLineParser &p, const QCommandLineOption &o) {
    if (p.isSet(o))
        return p.value(o).toStdString();
    std::error_code ec;
    for (fs::path dir = fs::current_path(ec); !ec && !dir.empty(); dir = dir.parent_path()) {
        const fs::path candidate = dir / manifest::kLintConfigFileName;
        if (fs::exists(candidate, ec))
            return candidate.string();
        if (dir == dir.root_path())
            break;
    }
    return std::nullopt;
}

// A report that did not reach stdout (a full disk, a closed pipe) is an I/O error.
bool writeReport(const std::string &text) {
    if (std::fwrite(text.data(), 1, text.size(), stdout) == text.size() && std::fflush(stdout) == 0)
        return true;
    complain(std::string("cannot write the report: ") + std::strerror(errno));
    return false;
}

// A --schema-dir that remembers the kinds it could not answer, so that a schema file that is
// there but broken is named on stderr instead of only showing up as a missing schema.
class RecordedSchemaDirectory final : public manifest::SchemaCatalog::Lazy {
public:
    explicit RecordedSchemaDirectory(const std::string &directory)
        : m_directory(directory) {}

    const manifest::SchemaNode *find(std::string_view apiVersion, std::string_view kind) override {
        const manifest::SchemaNode *node = m_directory.find(apiVersion, kind);
        if (node == nullptr)
            m_misses.emplace(apiVersion, kind);
        return node;
    }
    std::string sourceName() const override { return m_directory.sourceName(); }

    // Why kinds were not found although their files were there, and CRD manifests that could
    // not be read.
    std::vector<std::string> problems() const {
        std::vector<std::string> out = m_directory.manifestErrors();
        for (const auto &[apiVersion, kind] : m_misses)
            if (auto error = m_directory.error(apiVersion, kind))
                out.push_back(std::move(*error));
        return out;
    }

private:
    manifest::SchemaDirectory m_directory;
    std::set<std::pair<std::string, std::string>> m_misses;
};

// Reads a .kubedeck-lint.yaml into `config`; says why on stderr when it cannot.
bool readConfig(const std::string &path, manifest::LintConfig &config) {
    std::string error;
    const auto text = readFile(path, error);
    if (!text) {
        complain("cannot read the config " + path + ": " + error);
        return false;
    }
    manifest::LintConfigResult parsed = manifest::parseLintConfig(*text, path);
    if (!parsed.config) {
        complain(parsed.error);
        return false;
    }
    config = std::move(*parsed.config);
    return true;
}

} // namespace

std::vector<LintInput> readLintInputs(const std::vector<std::string> &paths,
                                      std::vector<InputError> &errors) {
    std::vector<std::string> files;
    for (const std::string &path : paths) {
        std::error_code ec;
        if (path != "-" && fs::is_directory(path, ec))
            findManifests(path, files, errors);
        else
            files.push_back(path);
    }
    std::vector<LintInput> inputs;
    inputs.reserve(files.size());
    for (std::string &path : files) {
        std::string error;
        if (auto text = readFile(path, error))
            inputs.push_back({std::move(path), std::move(*text)});
        else
            errors.push_back({std::move(path), std::move(error)});
    }
    return inputs;
}

manifest::LintReport lintInputs(std::vector<LintInput> inputs,
                                const manifest::LintOptions &options) {
    std::vector<manifest::LintFile> files;
    files.reserve(inputs.size());
    for (const LintInput &input : inputs)
        files.push_back(manifest::parseLintFile(input.path, input.text));
    manifest::LintReport report;
    report.findings = manifest::lint(files, options);
    report.rules = manifest::ruleCatalog();
    report.strict = options.strict;
    report.files.resize(files.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
        report.files[i].path = files[i].path;
        report.files[i].documents = static_cast<int>(files[i].yaml.documents.size());
        report.files[i].text = std::move(inputs[i].text);
    }
    for (const manifest::LintObject &o : manifest::collectObjects(files))
        report.files[static_cast<std::size_t>(o.file - files.data())].objects.push_back(
            {o.document, o.describe()});
    return report;
}

int runLint(const QStringList &arguments) {
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Lints Kubernetes manifests offline: YAML syntax, the schema of every kind (unknown "
        "fields, types, required fields, enums), what the API server would reject, and rules "
        "for ML serving (GPU requests and limits, probes, rollouts, HPAs, PDBs, Services and "
        "Ingresses that point at nothing). Every problem of every document is reported with "
        "its line and column. Exit codes: 0 clean (warnings allowed), 1 findings that fail the "
        "run, 2 usage errors, a broken config or an unreadable input."));
    const QCommandLineOption help = p.addHelpOption();
    p.addPositionalArgument(
        QStringLiteral("paths"),
        QStringLiteral("Files, folders (searched for *.yaml, *.yml and *.json, hidden ones "
                       "skipped) or - for standard input."),
        QStringLiteral("[PATH|-]..."));
    const QCommandLineOption output =
        option({QStringLiteral("o"), QStringLiteral("output")},
               "text (default), json, sarif (SARIF 2.1.0) or junit (JUnit XML).", "format", "text");
    const QCommandLineOption schemaDir =
        option({QStringLiteral("schema-dir")},
               "Look kinds up in this folder of JSON schemas (kubeconform's layouts) and "
               "CustomResourceDefinitions first, then in the built-in catalogue: custom "
               "resources, or another Kubernetes version's schemas. Can be repeated.",
               "dir");
    const QCommandLineOption strict =
        option({QStringLiteral("strict")}, "Warnings fail the run too (exit 1).");
    const std::string versionHelp =
        std::string("The cluster version to check apiVersions against, e.g. 1.29 or v1.29.3 "
                    "(default: the config's, else ") +
        manifest::kDefaultKubernetesVersion + ").";
    const QCommandLineOption kubernetesVersion =
        option({QStringLiteral("kubernetes-version")}, versionHelp.c_str(), "version");
    const QCommandLineOption config =
        option({QStringLiteral("config")},
               "Read lint settings from this file (default: .kubedeck-lint.yaml in the current "
               "folder or the nearest folder above it).",
               "file");
    const QCommandLineOption ignoreMissing =
        option({QStringLiteral("ignore-missing-schemas")},
               "Kinds no schema source knows (e.g. CRDs) are not a finding.");
    const QCommandLineOption listRules =
        option({QStringLiteral("list-rules")},
               "Print every rule with its severity, category, explanation and fix, and exit.");
    for (const auto &o :
         {output, schemaDir, strict, kubernetesVersion, config, ignoreMissing, listRules})
        p.addOption(o);
    if (!p.parse(arguments))
        return usageError(p.errorText());
    if (p.isSet(help)) {
        std::fputs(qPrintable(helpText(p, "lint")), stdout);
        return 0;
    }

    const QString formatName = p.value(output);
    const auto format = manifest::parseReportFormat(formatName.toStdString());
    if (!format)
        return usageError(
            QStringLiteral("-o must be text, json, sarif or junit, not '%1'").arg(formatName));
    const QStringList positional = p.positionalArguments();
    if (p.isSet(listRules)) {
        if (!positional.isEmpty())
            return usageError(QStringLiteral("--list-rules takes no paths"));
        if (*format != manifest::ReportFormat::Text && *format != manifest::ReportFormat::Json)
            return usageError(QStringLiteral("--list-rules prints text or json"));
        const std::string text =
            *format == manifest::ReportFormat::Json
                ? manifest::ruleListJson(manifest::ruleCatalog()).dump(2) + '\n'
                : manifest::ruleListText(manifest::ruleCatalog());
        return writeReport(text) ? 0 : 2;
    }
    if (positional.isEmpty())
        return usageError(QStringLiteral("give the files or folders to lint, or - to read "
                                         "standard input"));
    if (positional.count(QStringLiteral("-")) > 1)
        return usageError(QStringLiteral("- (standard input) can be given once"));

    manifest::LintOptions options;
    options.strict = p.isSet(strict);
    options.ignoreMissingSchemas = p.isSet(ignoreMissing);
    if (p.isSet(kubernetesVersion)) {
        const auto version = kubernetesMinorVersion(p.value(kubernetesVersion));
        if (!version)
            return usageError(QStringLiteral("--kubernetes-version must look like 1.29 or "
                                             "v1.29.3, not '%1'")
                                  .arg(p.value(kubernetesVersion)));
        options.kubernetesVersion = version->toStdString();
    }
    if (const auto path = configPath(p, config); path && !readConfig(*path, options.config))
        return 2;

    // Schema folders come first, so that they can also replace built-in kinds (e.g. with the
    // schemas of another Kubernetes version); the built-in catalogue answers the rest.
    manifest::SchemaCatalog schemas;
    std::vector<std::shared_ptr<RecordedSchemaDirectory>> schemaDirs;
    for (const QString &dir : p.values(schemaDir)) {
        std::error_code ec;
        if (!fs::is_directory(dir.toStdString(), ec))
            return usageError(QStringLiteral("--schema-dir %1 is not a folder").arg(dir));
        schemaDirs.push_back(std::make_shared<RecordedSchemaDirectory>(dir.toStdString()));
        schemas.addLazy(schemaDirs.back());
    }
    schemas.addBuiltin();
    options.schemas = &schemas;

    std::vector<std::string> paths;
    for (const QString &path : positional)
        paths.push_back(path.toStdString());
    std::vector<InputError> errors;
    std::vector<LintInput> inputs = readLintInputs(paths, errors);
    for (const InputError &e : errors)
        complain("cannot read " + e.path + ": " + e.message);

    manifest::LintReport report = lintInputs(std::move(inputs), options);
    for (const auto &dir : schemaDirs)
        for (const std::string &problem : dir->problems())
            complain("warning: " + problem);
    report.errors = std::move(errors);
    report.toolVersion = KUBEDECK_VERSION;
    std::error_code ec;
    report.sourceRoot = fs::current_path(ec).string();
    const std::string text = manifest::formatReport(report, *format);
    if (!writeReport(text) || !report.errors.empty())
        return 2;
    return manifest::countFindings(report).failing > 0 ? 1 : 0;
}

} // namespace kd::cli
