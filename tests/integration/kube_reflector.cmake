# Reflector (list+watch under every fault the sandbox can inject) and Session against the sandbox.
kd_add_test(tst_reflector SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_reflector.cpp
    ${CMAKE_CURRENT_LIST_DIR}/reflectortesthelpers.h
    LIBS kd_model kd_kube kd_sandbox LABELS integration TIMEOUT 180)
kd_add_test(tst_session SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_session.cpp
    ${CMAKE_CURRENT_LIST_DIR}/reflectortesthelpers.h
    LIBS kd_model kd_kube kd_sandbox LABELS integration TIMEOUT 120)
