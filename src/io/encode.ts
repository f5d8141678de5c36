/**
 * Mesh writers, one entry point: binary/ASCII STL, OBJ, PLY, OFF and 3MF. Every writer takes millimetre positions
 * and triangle indices (a `Mesh` or anything with those two arrays) and is pure.
 */
export { encode3mf, encode3mfModelXml, type ThreeMfEncodeOptions, type ThreeMfObject } from './encode-3mf.js';
export { type EncodableMesh, encodeStlAscii, encodeStlBinary, faceNormal } from './encode-stl.js';
export { encodeObj, encodeOff, encodePly, type PlyEncodeOptions } from './encode-text.js';
