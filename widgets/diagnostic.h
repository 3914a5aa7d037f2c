#pragma once
// What an editor is told about its text: a plain diagnostic (a range, a severity, a message and a
// rule code) as the owner's validators and linters produce it. The owner keeps anything richer
// (fixes, documentation links) and maps it through `code`.

#include <QColor>
#include <QIcon>
#include <QMetaType>
#include <QString>
#include <QVector>

class QPainter;
class QRectF;

namespace kd::widgets {

// Ordered from least to most severe, so that std::max picks the worst.
enum class Severity { Info, Warning, Error };

struct Diagnostic {
    int line = 1;   // 1-based
    int column = 1; // 1-based, in UTF-16 code units as QString counts them
    // How many code units to underline; 0 underlines to the end of the token at `column`
    // (the run of non-space characters without a trailing ":" or ","), or the line's text when
    // `column` is on a space or past the end.
    int length = 0;
    Severity severity = Severity::Error;
    QString message;
    QString code; // a stable rule id ("KD101", "schema"); may be empty
    QString file; // for lists over several files; the editor ignores it

    bool operator==(const Diagnostic &) const = default;
};

using DiagnosticList = QVector<Diagnostic>;

// "error", "warning", "info": translated, for tooltips and the Problems list.
QString severityName(Severity severity);
// The colour an icon of `severity` is drawn in when no theme says otherwise.
QColor defaultSeverityColour(Severity severity);
// Draws the icon of `severity` (a round error cross, a warning triangle, a round "i") into
// `rect` in `colour`; used by the gutter and by severityIcon().
void paintSeverityIcon(QPainter *painter, const QRectF &rect, Severity severity,
                       const QColor &colour);
// The same icon at 16 and 32 pixels in the default colour (painted anew: callers keep it).
QIcon severityIcon(Severity severity);

} // namespace kd::widgets

Q_DECLARE_METATYPE(kd::widgets::Diagnostic)
