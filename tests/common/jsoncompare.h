#pragma once
// QCOMPARE cannot take nlohmann::json (its overload set drags in qfloat16); compare the JSON
// texts instead, so a failure prints both values.

#include <QString>
#include <QTest>

#include <nlohmann/json.hpp>

#define KD_COMPARE_JSON(actual, expected)                                                          \
    QCOMPARE(QString::fromStdString(nlohmann::json(actual).dump()),                                \
             QString::fromStdString(nlohmann::json(expected).dump()))
