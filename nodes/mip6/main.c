/* main.c — roam-mip6 (stub while the daemon is written). */
#include <stdio.h>
int main(void)
{
	fprintf(stderr, "roam-mip6: not yet\n");
	return 3;
}
