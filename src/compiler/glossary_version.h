/*
 * The release of this project (module, compiler, packages); the blob
 * format has a version of its own (glossary_blob.h).  debian/changelog
 * carries the same number: t/009-compiler-ops.t checks that they agree.
 */

#ifndef GLOSSARY_VERSION_H
#define GLOSSARY_VERSION_H


#define GLOSSARY_RELEASE  "0.1.0"


#endif /* GLOSSARY_VERSION_H */
