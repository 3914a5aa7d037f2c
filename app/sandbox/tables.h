#pragma once
// Server-side printing: meta.k8s.io/v1 Table answers with the columns `kubectl get` shows for
// each kind (and -o wide columns at priority 1).

#include "sandbox/json.h"

#include <string>
#include <vector>

namespace kd::sandbox {

struct ResourceType;

enum class IncludeObject { None, Metadata, Object };

// Does this Accept header ask for a Table (application/json;as=Table;v=v1;g=meta.k8s.io)?
bool acceptsTable(const std::string &accept);
IncludeObject parseIncludeObject(const std::string &value);

Json tableColumns(const ResourceType &type);
Json tableRow(const ResourceType &type, const Json &object, double now, IncludeObject include);
// A whole Table; rows serialised by the caller are appended as JSON text for speed.
std::string tableJson(const ResourceType &type, const std::vector<ObjectPtr> &objects, double now,
                      IncludeObject include, const Json &listMeta);

// The kubectl "AGE" text, as k8s.io/apimachinery/pkg/util/duration.HumanDuration writes it.
std::string humanDuration(double seconds);

} // namespace kd::sandbox
