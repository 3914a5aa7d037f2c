#pragma once
// The colours of the code editor, its syntax highlighting and the diff view, as one value the
// owner picks (light or dark) and hands to each widget with setTheme().

#include "widgets/diagnostic.h"

#include <QColor>
#include <QPalette>
#include <QString>

namespace kd::widgets {

struct EditorTheme {
    QString name; // "light", "dark"
    bool isDark = false;

    // The text area.
    QColor text;
    QColor background;
    QColor selection;
    QColor selectedText;
    QColor currentLine;
    // The line-number gutter.
    QColor gutterBackground;
    QColor gutterText;
    QColor gutterCurrentText; // the number of the line the cursor is on
    // Wavy underlines and gutter icons, per severity.
    QColor error;
    QColor warning;
    QColor info;

    // Syntax tokens.
    QColor key;
    QColor string;
    QColor number;
    QColor keyword; // true/false/null
    QColor comment;
    QColor anchor;   // &anchor, *alias
    QColor tag;      // !!str, !Custom
    QColor document; // --- and ...
    QColor punctuation;
    QColor blockScalar; // the text under `|` and `>`

    // The diff view: whole-line backgrounds and the filler of lines that exist on one side only.
    QColor diffAdded;
    QColor diffRemoved;
    QColor diffChanged;
    QColor diffFiller;

    static EditorTheme light();
    static EditorTheme dark();

    QColor severityColour(Severity severity) const;
    // A palette for text widgets: Base/Text/Highlight/HighlightedText/Window from the theme.
    QPalette palette(const QPalette &base = QPalette()) const;

    bool operator==(const EditorTheme &) const = default;
};

} // namespace kd::widgets
