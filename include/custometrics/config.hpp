// custometrics: version and the ABI namespace.
#pragma once

#define CUSTOMETRICS_VERSION_MAJOR 0
#define CUSTOMETRICS_VERSION_MINOR 1
#define CUSTOMETRICS_VERSION_PATCH 0
#define CUSTOMETRICS_VERSION_STRING "0.1.0"

// Everything public lives in `custometrics::v0` (an inline namespace, as fmt does), so a future
// ABI break can move to v1 while source code keeps writing `custometrics::`.
#define CUSTOMETRICS_BEGIN_NAMESPACE                                                               \
    namespace custometrics {                                                                       \
    inline namespace v0 {
#define CUSTOMETRICS_END_NAMESPACE                                                                 \
    }                                                                                              \
    }
