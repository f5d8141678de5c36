/**
 * The three.js scene behind the viewer, z-up in millimetres like the meshes: the model standing on the build plate
 * (centred, lowest point at z = 0), overhang faces coloured (steeper than the overhang angle from vertical, facing
 * down, not resting on the bed), the chosen printer's plate and build volume drawn to scale, orbit/zoom controls.
 * Renders on demand (controls change, resize), with `preserveDrawingBuffer` so the canvas can be read back.
 */
import * as THREE from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';

export interface PlateSpec {
  buildVolumeMm: [number, number, number];
}

export interface SceneHandle {
  setGeometry(geometry: THREE.BufferGeometry, overhangAngleDeg: number): { overhangFaces: number; faces: number };
  setPrinter(printer: PlateSpec | undefined): void;
  zoom(factor: number): void;
  dispose(): void;
}

const BASE = new THREE.Color(0x8fb3d9);
const OVERHANG = new THREE.Color(0xe4572e);

export function createScene(canvas: HTMLCanvasElement, onRender?: () => void): SceneHandle {
  const renderer = new THREE.WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
  renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
  const scene = new THREE.Scene();
  scene.background = new THREE.Color(0xf4f6f8);
  const camera = new THREE.PerspectiveCamera(40, 1, 1, 20000);
  camera.up.set(0, 0, 1);
  scene.add(new THREE.HemisphereLight(0xffffff, 0x667788, 1.6));
  const sun = new THREE.DirectionalLight(0xffffff, 1.8);
  sun.position.set(1, -2, 3);
  scene.add(sun);
  const controls = new OrbitControls(camera, canvas);
  controls.listenToKeyEvents(canvas);
  const plate = new THREE.Group();
  scene.add(plate);
  let model: THREE.Mesh | undefined;
  let modelSize = new THREE.Vector3(100, 100, 100);
  let printer: PlateSpec | undefined;

  const render = () => {
    renderer.render(scene, camera);
    onRender?.();
  };
  const resize = () => {
    const w = canvas.clientWidth || 400;
    const h = canvas.clientHeight || 300;
    renderer.setSize(w, h, false);
    camera.aspect = w / h;
    camera.updateProjectionMatrix();
    render();
  };
  controls.addEventListener('change', render);
  const observer = new ResizeObserver(resize);
  observer.observe(canvas);

  const frame = () => {
    const [px, py, pz] = printer?.buildVolumeMm ?? [0, 0, 0];
    const span = Math.max(modelSize.x, modelSize.y, modelSize.z, px, py, pz * 0.8, 10);
    const target = new THREE.Vector3(
      0,
      0,
      printer ? Math.max(pz * 0.35, modelSize.z / 2) : Math.max(modelSize.z, 1) / 2,
    );
    camera.position.set(target.x + span * 1.25, target.y - span * 1.7, target.z + span * 1.0);
    camera.near = span / 100;
    camera.far = span * 50;
    camera.updateProjectionMatrix();
    controls.target.copy(target);
    controls.update();
  };

  const drawPlate = () => {
    for (const child of [...plate.children]) {
      plate.remove(child);
      disposeObject(child);
    }
    const [x, y, z] = printer?.buildVolumeMm ?? [Math.ceil(modelSize.x * 1.5), Math.ceil(modelSize.y * 1.5), 0];
    const bed = new THREE.Mesh(
      new THREE.PlaneGeometry(x, y),
      new THREE.MeshStandardMaterial({ color: 0xd5dbe1, side: THREE.DoubleSide }),
    );
    bed.position.z = -0.05;
    plate.add(bed);
    const grid = new THREE.GridHelper(Math.max(x, y), Math.max(2, Math.round(Math.max(x, y) / 10)), 0x9aa5b1, 0xbcc5ce);
    grid.rotation.x = Math.PI / 2;
    grid.scale.set(x / Math.max(x, y), 1, y / Math.max(x, y));
    plate.add(grid);
    if (printer) {
      const box = new THREE.LineSegments(
        new THREE.EdgesGeometry(new THREE.BoxGeometry(x, y, z)),
        new THREE.LineBasicMaterial({ color: 0x52606d }),
      );
      box.position.z = z / 2;
      plate.add(box);
    }
  };

  drawPlate();
  frame();
  resize();

  return {
    setGeometry(source, overhangAngleDeg) {
      const g = source.index ? source.toNonIndexed() : source;
      g.computeBoundingBox();
      const bb = g.boundingBox!;
      const center = bb.getCenter(new THREE.Vector3());
      g.translate(-center.x, -center.y, -bb.min.z);
      g.computeBoundingBox();
      modelSize = g.boundingBox!.getSize(new THREE.Vector3());
      g.computeVertexNormals();
      const stats = colourOverhangs(g, overhangAngleDeg);
      if (model) {
        scene.remove(model);
        disposeObject(model);
      }
      model = new THREE.Mesh(
        g,
        new THREE.MeshStandardMaterial({ vertexColors: true, roughness: 0.6, metalness: 0.05 }),
      );
      scene.add(model);
      drawPlate();
      frame();
      render();
      return stats;
    },
    setPrinter(p) {
      printer = p;
      drawPlate();
      frame();
      render();
    },
    zoom(factor) {
      const offset = camera.position.clone().sub(controls.target).multiplyScalar(factor);
      camera.position.copy(controls.target).add(offset);
      controls.update();
      render();
    },
    dispose() {
      observer.disconnect();
      controls.dispose();
      scene.traverse((o) => disposeObject(o));
      renderer.dispose();
    },
  };
}

/** Colours each face: overhang (normal pointing down steeper than the angle, not on the bed) or base. */
function colourOverhangs(g: THREE.BufferGeometry, overhangAngleDeg: number): { overhangFaces: number; faces: number } {
  const pos = g.getAttribute('position') as THREE.BufferAttribute;
  const faces = pos.count / 3;
  const colors = new Float32Array(pos.count * 3);
  const threshold = -Math.sin((overhangAngleDeg * Math.PI) / 180);
  const a = new THREE.Vector3();
  const b = new THREE.Vector3();
  const c = new THREE.Vector3();
  const n = new THREE.Vector3();
  let overhangFaces = 0;
  for (let f = 0; f < faces; f++) {
    a.fromBufferAttribute(pos, 3 * f);
    b.fromBufferAttribute(pos, 3 * f + 1);
    c.fromBufferAttribute(pos, 3 * f + 2);
    THREE.Triangle.getNormal(a, b, c, n);
    const onBed = Math.max(a.z, b.z, c.z) < 0.05;
    const over = !onBed && n.z < threshold;
    if (over) overhangFaces++;
    const col = over ? OVERHANG : BASE;
    for (let v = 0; v < 3; v++) col.toArray(colors, 9 * f + 3 * v);
  }
  g.setAttribute('color', new THREE.BufferAttribute(colors, 3));
  return { overhangFaces, faces };
}

function disposeObject(o: THREE.Object3D): void {
  const m = o as THREE.Mesh;
  m.geometry?.dispose();
  const mat = m.material as THREE.Material | THREE.Material[] | undefined;
  if (Array.isArray(mat)) for (const x of mat) x.dispose();
  else mat?.dispose();
}
