/* The one place the version lives; procman --version and ping show it. */
#ifndef PROCMAN_VERSION_H
#define PROCMAN_VERSION_H

#define PROCMAN_VERSION	"0.1.0"

#endif
