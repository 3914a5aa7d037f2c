#pragma once
// Internal to kd_manifest: the structural check of one object against its schema
// (lint_schemawalk.cpp), reporting every problem: unknown fields, wrong types, missing required
// fields, unsupported enum values and malformed quantities.

#include "manifest/lintstages.h"

namespace kd::manifest::detail {

void walkSchema(const LintObject &object, const SchemaNode &root, FindingSink &sink);

// "2GB" -> {"2Gi", "2G"}, "1 Gi" -> {"1Gi"}: the quantities a malformed one most likely meant.
std::vector<std::string> quantitySuggestions(std::string_view text);

} // namespace kd::manifest::detail
