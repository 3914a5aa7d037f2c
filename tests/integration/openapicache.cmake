# The sandbox's /openapi/v3 and kd_kube's OpenAPI v3 schema cache, over loopback HTTP.
kd_add_test(tst_openapicache SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_openapicache.cpp
    LIBS kd_kube kd_sandbox Qt6::Network LABELS integration TIMEOUT 180)
