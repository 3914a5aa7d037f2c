// Indentation for YAML, where indentation is structure: spaces only, Enter keeps the level.
#include "widgets/codeeditor.h"

#include <QKeyEvent>
#include <QRegularExpression>
#include <QTextBlock>

namespace kd::widgets {

namespace {

int leadingSpaces(const QString &text) {
    int n = 0;
    while (n < text.size() && text.at(n) == QLatin1Char(' '))
        ++n;
    return n;
}

// The indentation of the line after `before` (the line's text up to the cursor): the same as
// this line's, aligned with the content of a "- " list item, and one level deeper after a
// "key:" that opens a nested block.
int nextIndent(const QString &before) {
    int indent = leadingSpaces(before);
    static const QRegularExpression listItem(QStringLiteral(R"(^ *(- +)+)"));
    const QRegularExpressionMatch item = listItem.match(before);
    if (item.hasMatch() && item.capturedLength() < before.size())
        indent = static_cast<int>(item.capturedLength());
    static const QRegularExpression opensBlock(QStringLiteral(R"(:\s*(#.*)?$)"));
    const QString code = before.trimmed();
    if (!code.startsWith(QLatin1Char('#')) && opensBlock.match(code).hasMatch())
        indent += CodeEditor::kIndentWidth;
    return indent;
}

} // namespace

bool CodeEditor::handleIndentKey(QKeyEvent *event) {
    if (isReadOnly())
        return false;
    const Qt::KeyboardModifiers mods =
        event->modifiers() & ~(Qt::KeypadModifier | Qt::ShiftModifier);
    if (mods != Qt::NoModifier)
        return false;
    switch (event->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
        insertNewlineKeepingIndent();
        return true;
    case Qt::Key_Tab:
        if (event->modifiers() & Qt::ShiftModifier) {
            indentSelection(true);
            return true;
        }
        {
            const QTextCursor cursor = textCursor();
            if (cursor.hasSelection() && document()->findBlock(cursor.selectionStart()) !=
                                             document()->findBlock(cursor.selectionEnd())) {
                indentSelection(false);
                return true;
            }
        }
        {
            QTextCursor cursor = textCursor();
            const int column = cursor.positionInBlock();
            cursor.insertText(QString(kIndentWidth - column % kIndentWidth, QLatin1Char(' ')));
            setTextCursor(cursor);
        }
        return true;
    case Qt::Key_Backtab:
        indentSelection(true);
        return true;
    default:
        return false;
    }
}

void CodeEditor::insertNewlineKeepingIndent() {
    QTextCursor cursor = textCursor();
    const QString before = cursor.block().text().left(cursor.positionInBlock());
    const int indent = nextIndent(before);
    cursor.beginEditBlock();
    cursor.insertText(QLatin1Char('\n') + QString(indent, QLatin1Char(' ')));
    cursor.endEditBlock();
    setTextCursor(cursor);
    ensureCursorVisible();
}

void CodeEditor::indentSelection(bool dedent) {
    QTextCursor cursor = textCursor();
    const QTextBlock first = document()->findBlock(cursor.selectionStart());
    QTextBlock last = document()->findBlock(cursor.selectionEnd());
    // A selection that ends at the start of a line does not take that line along.
    if (cursor.hasSelection() && last != first && cursor.selectionEnd() == last.position())
        last = last.previous();
    cursor.beginEditBlock();
    for (QTextBlock block = first; block.isValid(); block = block.next()) {
        QTextCursor edit(block);
        if (dedent) {
            const int n = std::min(kIndentWidth, leadingSpaces(block.text()));
            edit.movePosition(QTextCursor::Right, QTextCursor::KeepAnchor, n);
            edit.removeSelectedText();
        } else if (!block.text().isEmpty()) {
            edit.insertText(QString(kIndentWidth, QLatin1Char(' ')));
        }
        if (block == last)
            break;
    }
    cursor.endEditBlock();
}

} // namespace kd::widgets
