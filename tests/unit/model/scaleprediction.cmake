# Drag-to-scale feasibility from the store, checked against the sandbox's controllers and scheduler.
kd_add_test(tst_scaleprediction SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_scaleprediction.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sandboxstore.h LIBS kd_model kd_sandbox LABELS unit)
