#include "widgets/diagnostic.h"

#include <QCoreApplication>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

#include <algorithm>

namespace kd::widgets {

QString severityName(Severity severity) {
    switch (severity) {
    case Severity::Error:
        return QCoreApplication::translate("kd::widgets::Diagnostic", "error");
    case Severity::Warning:
        return QCoreApplication::translate("kd::widgets::Diagnostic", "warning");
    case Severity::Info:
        return QCoreApplication::translate("kd::widgets::Diagnostic", "info");
    }
    return {};
}

QColor defaultSeverityColour(Severity severity) {
    switch (severity) {
    case Severity::Error:
        return QColor(0xd1, 0x24, 0x2f);
    case Severity::Warning:
        return QColor(0xd4, 0x8f, 0x00);
    case Severity::Info:
        return QColor(0x1f, 0x75, 0xe0);
    }
    return {};
}

void paintSeverityIcon(QPainter *painter, const QRectF &rect, Severity severity,
                       const QColor &colour) {
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, true);
    const qreal side = std::min(rect.width(), rect.height());
    const QRectF box(rect.center().x() - side / 2, rect.center().y() - side / 2, side, side);
    const qreal stroke = std::max(1.2, side / 7.5);
    // The mark inside is white on the red and blue discs but dark on the amber triangle, where
    // white would be hard to read.
    const QColor mark = severity == Severity::Warning ? QColor(0x24, 0x1c, 0x00) : Qt::white;
    painter->setPen(Qt::NoPen);
    painter->setBrush(colour);
    if (severity == Severity::Warning) {
        QPainterPath triangle;
        triangle.moveTo(box.center().x(), box.top() + side * 0.04);
        triangle.lineTo(box.right(), box.bottom() - side * 0.06);
        triangle.lineTo(box.left(), box.bottom() - side * 0.06);
        triangle.closeSubpath();
        painter->drawPath(triangle);
    } else {
        painter->drawEllipse(box.adjusted(side * 0.04, side * 0.04, -side * 0.04, -side * 0.04));
    }
    QPen pen(mark, stroke, Qt::SolidLine, Qt::RoundCap);
    painter->setPen(pen);
    const QPointF c = box.center();
    const qreal r = side * 0.2;
    switch (severity) {
    case Severity::Error:
        painter->drawLine(QPointF(c.x() - r, c.y() - r), QPointF(c.x() + r, c.y() + r));
        painter->drawLine(QPointF(c.x() + r, c.y() - r), QPointF(c.x() - r, c.y() + r));
        break;
    case Severity::Warning:
        painter->drawLine(QPointF(c.x(), box.top() + side * 0.36),
                          QPointF(c.x(), box.top() + side * 0.62));
        painter->drawPoint(QPointF(c.x(), box.top() + side * 0.78));
        break;
    case Severity::Info:
        painter->drawPoint(QPointF(c.x(), box.top() + side * 0.28));
        painter->drawLine(QPointF(c.x(), box.top() + side * 0.45),
                          QPointF(c.x(), box.top() + side * 0.74));
        break;
    }
    painter->restore();
}

QIcon severityIcon(Severity severity) {
    QIcon icon;
    for (const int size : {16, 32}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        paintSeverityIcon(&painter, QRectF(0, 0, size, size), severity,
                          defaultSeverityColour(severity));
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

} // namespace kd::widgets
