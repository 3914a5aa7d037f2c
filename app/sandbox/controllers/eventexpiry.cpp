// Event expiry: the API server's one-hour TTL on Events (and a cap on their number, so a long
// accelerated run cannot grow without bound), applied at most once a simulated minute.

#include "sandbox/controllers/controllers.h"
#include "sandbox/eventrecorder.h"

namespace kd::sandbox {

namespace {

class EventExpiry final : public Controller {
public:
    const char *name() const override { return "event-ttl"; }

    double reconcile(ControllerContext &ctx) override {
        if (ctx.now >= m_next) {
            ctx.events.expire();
            m_next = ctx.now + kPeriodSeconds;
        }
        return m_next;
    }

private:
    static constexpr double kPeriodSeconds = 60;
    double m_next = 0;
};

} // namespace

std::unique_ptr<Controller> makeEventExpiry() {
    return std::make_unique<EventExpiry>();
}

} // namespace kd::sandbox
