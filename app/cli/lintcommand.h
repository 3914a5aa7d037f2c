#pragma once

#include "manifest/lint.h"
#include "manifest/reporters.h"

#include <QStringList>

#include <string>
#include <vector>

namespace kd::cli {

// `kubedeck lint`: lints manifests offline (files, directories, standard input) and prints a
// text, JSON, SARIF or JUnit report. Exit codes: 0 no finding fails the run, 1 some do (errors;
// warnings too with --strict), 2 usage errors, a broken config, or an input that could not be
// read (the others are still linted and reported). `arguments` starts with the program and
// command name, as QCommandLineParser expects.
int runLint(const QStringList &arguments);

// The work of `kubedeck lint` once its command line is understood, shared with bench_lint so
// that the benchmark times what the command runs.
struct LintInput {
    std::string path; // as given, or found in a given directory; "-" for standard input
    std::string text;
};

// Reads every path: a directory gives its *.yaml, *.yml and *.json files, recursively and
// sorted, skipping hidden files and folders (.git, .kubedeck-lint.yaml) and symbolic links to
// folders; "-" reads standard input. What cannot be read is added to `errors`; the rest is read.
std::vector<LintInput> readLintInputs(const std::vector<std::string> &paths,
                                      std::vector<manifest::InputError> &errors);

// Parses the inputs and lints them together (single-threaded); the report holds the files, the
// sorted findings and the rule catalogue.
manifest::LintReport lintInputs(std::vector<LintInput> inputs,
                                const manifest::LintOptions &options);

} // namespace kd::cli
