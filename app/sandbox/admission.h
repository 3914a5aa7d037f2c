#pragma once
// What the API server does to an object between decoding and storing it: defaulting (as the
// upstream defaulting functions do), preparing status on create, allocating cluster IPs, and
// validation through kd_manifest, answered with 422 and field causes.

#include "sandbox/json.h"

namespace kd::sandbox {

struct ResourceType;
class Store;

// Fills the defaults a real API server fills for this kind.
void applyDefaults(const ResourceType &type, Json &object);
// Create: defaults, status reset for kinds whose status belongs to controllers, allocation of
// Service cluster IPs, then validation (throws ApiError 422).
void admitCreate(const ResourceType &type, Json &object, Store &store);
// Update: defaults and validation against the old object (immutable fields).
void admitUpdate(const ResourceType &type, Json &object, const Json &old);

} // namespace kd::sandbox
