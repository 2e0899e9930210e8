#include <mms/mms.h>
int main(void) { return mms_libversion_number() == MMS_VERSION_NUMBER ? 0 : 1; }
