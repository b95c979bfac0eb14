// The C API of libzmq (Debian: libzmq3-dev), imported into Swift as the CZeroMQ module.
#ifndef ADENV_CZEROMQ_SHIM_H
#define ADENV_CZEROMQ_SHIM_H
#include <zmq.h>
#endif
