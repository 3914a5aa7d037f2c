# Who holds which GPUs, per node and pool, and why GPU pods are Pending.
kd_add_test(tst_gpuledger SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gpuledger.cpp ${CMAKE_CURRENT_LIST_DIR}/sandboxstore.h
    LIBS kd_model kd_sandbox LABELS unit)
