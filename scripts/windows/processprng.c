/*
 * A stand-in bcryptprimitives.dll for running Windows builds of mif under
 * Wine 8, FOR THE TEST HARNESS ONLY: never ship it, never install it on a
 * real Windows machine (which has the real one).
 *
 * Rust 1.78 and later take their random numbers from ProcessPrng in
 * bcryptprimitives.dll. Wine 8.0 has no such export, so every Rust program
 * dies at load (status c0000135). This DLL exports ProcessPrng and answers
 * it with SystemFunction036 (RtlGenRandom, from advapi32), which Wine has.
 * scripts/windows.sh builds it with MinGW and copies it into the Wine
 * prefix's system32.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
