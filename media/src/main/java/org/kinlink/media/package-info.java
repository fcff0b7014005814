/** Video backends behind one interface; the embedded backend is the default and Jitsi the production option. */
package org.kinlink.media;
