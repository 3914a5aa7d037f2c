#include "cli/commandline.h"

#include <cstdio>

namespace kd::cli {

QCommandLineOption option(const QStringList &names, const char *description, const char *valueName,
                          const char *defaultValue) {
    QCommandLineOption o(names, QString::fromLatin1(description));
    if (valueName)
        o.setValueName(QString::fromLatin1(valueName));
    if (defaultValue)
        o.setDefaultValue(QString::fromLatin1(defaultValue));
    return o;
}

QString helpText(const QCommandLineParser &parser, const char *command) {
    // The parser names the executable's path; the usage line should read as typed.
    QString help = parser.helpText();
    const qsizetype options = help.indexOf(QLatin1String(" ["));
    if (help.startsWith(QLatin1String("Usage: ")) && options > 0)
        help.replace(0, options, QStringLiteral("Usage: kubedeck %1").arg(QLatin1String(command)));
    return help;
}

int usageError(const char *command, const QString &message) {
    std::fprintf(stderr, "kubedeck %s: %s\nRun 'kubedeck %s --help' for the options.\n", command,
                 qPrintable(message), command);
    return 2;
}

std::optional<int> parseOrExit(QCommandLineParser &parser, const QStringList &arguments,
                               const char *command) {
    if (!parser.parse(arguments))
        return usageError(command, parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(helpText(parser, command)), stdout);
        return 0;
    }
    if (!parser.positionalArguments().isEmpty())
        return usageError(
            command,
            QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));
    return std::nullopt;
}

} // namespace kd::cli
