"""Minimal NVML binding through ctypes (no pynvml dependency).

Functions and types from NVIDIA's nvml.h (NVML API reference,
https://docs.nvidia.com/deploy/nvml-api/): nvmlInit_v2, nvmlDeviceGetHandleByIndex_v2,
nvmlDeviceGetPowerUsage (mW), nvmlDeviceGetTotalEnergyConsumption (mJ, Volta+),
nvmlDeviceGetFieldValues with NVML_FI_DEV_POWER_INSTANT (186), nvmlDeviceGetUtilizationRates
(% of the last sample period the GPU was busy) and nvmlDeviceGetTemperature (NVML_TEMPERATURE_GPU, °C).
"""

import ctypes

NVML_FI_DEV_POWER_INSTANT = 186
NVML_TEMPERATURE_GPU = 0


class NvmlError(Exception):
    pass


class _Value(ctypes.Union):
    _fields_ = [
        ("dVal", ctypes.c_double),
        ("uiVal", ctypes.c_uint),
        ("ulVal", ctypes.c_ulong),
        ("ullVal", ctypes.c_ulonglong),
        ("sllVal", ctypes.c_longlong),
        ("siVal", ctypes.c_int),
    ]


class _FieldValue(ctypes.Structure):
    _fields_ = [
        ("fieldId", ctypes.c_uint),
        ("scopeId", ctypes.c_uint),
        ("timestamp", ctypes.c_longlong),
        ("latencyUsec", ctypes.c_longlong),
        ("valueType", ctypes.c_int),
        ("nvmlReturn", ctypes.c_int),
        ("value", _Value),
    ]


class _Utilization(ctypes.Structure):
    _fields_ = [("gpu", ctypes.c_uint), ("memory", ctypes.c_uint)]


_VALUE_FIELDS = {0: "dVal", 1: "uiVal", 2: "ulVal", 3: "ullVal", 4: "sllVal", 5: "siVal"}


class Nvml(object):
    def __init__(self, library="libnvidia-ml.so.1"):
        try:
            self._lib = ctypes.CDLL(library)
        except OSError as error:
            raise NvmlError("cannot load %s (%s)" % (library, error))
        self._check(self._lib.nvmlInit_v2(), "nvmlInit_v2")
        self._power = self._lib.nvmlDeviceGetPowerUsage
        self._power.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint)]
        self._power_value = ctypes.c_uint()
        self._power_ref = ctypes.byref(self._power_value)

    def _check(self, code, what):
        if code != 0:
            message = what
            try:
                self._lib.nvmlErrorString.restype = ctypes.c_char_p
                message = "%s: %s" % (what, self._lib.nvmlErrorString(code).decode())
            except Exception:
                message = "%s returned %d" % (what, code)
            raise NvmlError(message)

    def device(self, index):
        handle = ctypes.c_void_p()
        self._check(self._lib.nvmlDeviceGetHandleByIndex_v2(ctypes.c_uint(index), ctypes.byref(handle)), "nvmlDeviceGetHandleByIndex_v2")
        return handle

    def power_mw(self, handle):
        code = self._power(handle, self._power_ref)
        if code != 0:
            self._check(code, "nvmlDeviceGetPowerUsage")
        return self._power_value.value

    def power_instant_mw(self, handle):
        field = _FieldValue()
        field.fieldId = NVML_FI_DEV_POWER_INSTANT
        self._check(self._lib.nvmlDeviceGetFieldValues(handle, 1, ctypes.byref(field)), "nvmlDeviceGetFieldValues")
        if field.nvmlReturn != 0:
            self._check(field.nvmlReturn, "NVML_FI_DEV_POWER_INSTANT")
        return getattr(field.value, _VALUE_FIELDS.get(field.valueType, "uiVal"))

    def total_energy_mj(self, handle):
        value = ctypes.c_ulonglong()
        self._check(self._lib.nvmlDeviceGetTotalEnergyConsumption(handle, ctypes.byref(value)), "nvmlDeviceGetTotalEnergyConsumption")
        return value.value

    def utilization_gpu(self, handle):
        rates = _Utilization()
        self._check(self._lib.nvmlDeviceGetUtilizationRates(handle, ctypes.byref(rates)), "nvmlDeviceGetUtilizationRates")
        return rates.gpu

    def temperature_gpu(self, handle):
        value = ctypes.c_uint()
        self._check(self._lib.nvmlDeviceGetTemperature(handle, NVML_TEMPERATURE_GPU, ctypes.byref(value)), "nvmlDeviceGetTemperature")
        return value.value

    def name(self, handle):
        buffer = ctypes.create_string_buffer(96)
        self._check(self._lib.nvmlDeviceGetName(handle, buffer, ctypes.c_uint(96)), "nvmlDeviceGetName")
        return buffer.value.decode()

    def driver_version(self):
        buffer = ctypes.create_string_buffer(80)
        self._check(self._lib.nvmlSystemGetDriverVersion(buffer, ctypes.c_uint(80)), "nvmlSystemGetDriverVersion")
        return buffer.value.decode()

    def shutdown(self):
        try:
            self._lib.nvmlShutdown()
        except Exception:
            pass
