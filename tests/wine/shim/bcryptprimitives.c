/* For Wine only, never for Windows: Wine 8 has no bcryptprimitives.dll, which Rust's standard
 * library (1.78 and later) imports for ProcessPrng. This DLL, put beside the exe under Wine,
 * exports ProcessPrng over advapi32's RtlGenRandom (SystemFunction036). Windows 10 and later
 * ship the real DLL; do not copy this one there. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
