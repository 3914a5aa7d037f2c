#include "widgets/editortheme.h"

namespace kd::widgets {

EditorTheme EditorTheme::light() {
    EditorTheme t;
    t.name = QStringLiteral("light");
    t.isDark = false;
    t.text = QColor(0x1f, 0x23, 0x28);
    t.background = QColor(0xff, 0xff, 0xff);
    t.selection = QColor(0xb6, 0xd7, 0xff);
    t.selectedText = t.text;
    t.currentLine = QColor(0xf1, 0xf5, 0xfb);
    t.gutterBackground = QColor(0xf6, 0xf8, 0xfa);
    t.gutterText = QColor(0x8c, 0x95, 0x9f);
    t.gutterCurrentText = t.text;
    t.error = QColor(0xd1, 0x24, 0x2f);
    t.warning = QColor(0xd4, 0x8f, 0x00);
    t.info = QColor(0x1f, 0x75, 0xe0);
    t.key = QColor(0x11, 0x63, 0x29);
    t.string = QColor(0x0a, 0x30, 0x69);
    t.number = QColor(0x05, 0x50, 0xae);
    t.keyword = QColor(0x82, 0x50, 0xdf);
    t.comment = QColor(0x6e, 0x77, 0x81);
    t.anchor = QColor(0x95, 0x38, 0x00);
    t.tag = QColor(0xa4, 0x0e, 0x26);
    t.document = QColor(0xcf, 0x22, 0x2e);
    t.punctuation = QColor(0x57, 0x60, 0x6a);
    t.blockScalar = QColor(0x0a, 0x30, 0x69);
    t.diffAdded = QColor(0xda, 0xfb, 0xe1);
    t.diffRemoved = QColor(0xff, 0xeb, 0xe9);
    t.diffChanged = QColor(0xff, 0xf5, 0xc2);
    t.diffFiller = QColor(0xee, 0xf0, 0xf3);
    return t;
}

EditorTheme EditorTheme::dark() {
    EditorTheme t;
    t.name = QStringLiteral("dark");
    t.isDark = true;
    t.text = QColor(0xe6, 0xed, 0xf3);
    t.background = QColor(0x0d, 0x11, 0x17);
    t.selection = QColor(0x26, 0x4f, 0x78);
    t.selectedText = t.text;
    t.currentLine = QColor(0x1a, 0x20, 0x29);
    t.gutterBackground = QColor(0x10, 0x15, 0x1c);
    t.gutterText = QColor(0x6e, 0x76, 0x81);
    t.gutterCurrentText = t.text;
    t.error = QColor(0xf8, 0x51, 0x49);
    t.warning = QColor(0xe3, 0xb3, 0x41);
    t.info = QColor(0x58, 0xa6, 0xff);
    t.key = QColor(0x7e, 0xe7, 0x87);
    t.string = QColor(0xa5, 0xd6, 0xff);
    t.number = QColor(0x79, 0xc0, 0xff);
    t.keyword = QColor(0xd2, 0xa8, 0xff);
    t.comment = QColor(0x8b, 0x94, 0x9e);
    t.anchor = QColor(0xff, 0xa6, 0x57);
    t.tag = QColor(0xff, 0x9b, 0xce);
    t.document = QColor(0xff, 0x7b, 0x72);
    t.punctuation = QColor(0x9d, 0xa7, 0xb3);
    t.blockScalar = QColor(0xa5, 0xd6, 0xff);
    t.diffAdded = QColor(0x1b, 0x3b, 0x2a);
    t.diffRemoved = QColor(0x4a, 0x1f, 0x24);
    t.diffChanged = QColor(0x3f, 0x35, 0x12);
    t.diffFiller = QColor(0x16, 0x1b, 0x22);
    return t;
}

QColor EditorTheme::severityColour(Severity severity) const {
    switch (severity) {
    case Severity::Error:
        return error;
    case Severity::Warning:
        return warning;
    case Severity::Info:
        return info;
    }
    return error;
}

QPalette EditorTheme::palette(const QPalette &base) const {
    QPalette p = base;
    for (const auto group : {QPalette::Active, QPalette::Inactive, QPalette::Disabled}) {
        p.setColor(group, QPalette::Base, background);
        p.setColor(group, QPalette::Window, gutterBackground);
        p.setColor(group, QPalette::Text, text);
        p.setColor(group, QPalette::WindowText, text);
        p.setColor(group, QPalette::Highlight, selection);
        p.setColor(group, QPalette::HighlightedText, selectedText);
    }
    p.setColor(QPalette::Disabled, QPalette::Text, gutterText);
    return p;
}

} // namespace kd::widgets
