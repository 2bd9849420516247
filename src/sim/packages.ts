import type { SimProfile } from './model.ts';

/**
 * What `apt-get` and `pip3` on a simulated board can install, with versions
 * per JetPack generation. Versions follow the matrix in
 * ../shared/reference/flashing-and-installing.md §5.1–5.4 (dusty-nv/jetson-containers
 * `packages/ml/*\/config.py`, NVIDIA's `jp/vXX` TensorFlow wheels, jetson-inference
 * `tools/install-pytorch.sh`). Sizes are rough figures for disk accounting only.
 */

export interface AptPackage {
  name: string;
  version: string;
  sizeMb: number;
  /** Also installed (the meta package `nvidia-jetpack` pulls CUDA, cuDNN, TensorRT). */
  depends: string[];
  description: string;
}

export interface PipPackage {
  name: string;
  version: string;
  sizeMb: number;
  /** The Python module it makes importable; a simulated module is written for GPU frameworks. */
  module: string;
  /** True when a clearly labelled simulated module stands in for the real library. */
  simulated: boolean;
}

type Generation = 'jp4' | 'jp5' | 'jp6' | 'desktop';

export function generationOf(profile: SimProfile): Generation {
  if (profile.kind === 'desktop-gpu') return 'desktop';
  const major = Number((profile.l4t ?? '36').split('.')[0]);
  if (major <= 32) return 'jp4';
  if (major <= 35) return 'jp5';
  return 'jp6';
}

function cudaDashed(profile: SimProfile): string {
  const [major, minor] = (profile.versions.cuda ?? '12.6').split('.');
  return `${major}-${minor ?? '0'}`;
}

/** Packages present on a freshly flashed SD-card image. */
export function preinstalledApt(profile: SimProfile): Record<string, string> {
  const l4t = profile.l4t ?? '0';
  const base: Record<string, string> = {
    'openssh-server': '1:8.9p1-3ubuntu0.10',
    python3: `${profile.python.split('.').slice(0, 2).join('.')}.0-1`,
    sudo: '1.9.9-1ubuntu2.4',
    'ca-certificates': '20240203~22.04.1',
  };
  if (profile.kind === 'jetson') base['nvidia-l4t-core'] = `${l4t}-20240916084051`;
  // JetPack 4 SD images ship CUDA preinstalled; JetPack 5/6 images need `apt install nvidia-jetpack`
  // (reference §5.1, "Missing CUDA toolkit on a fresh image").
  if (generationOf(profile) === 'jp4' && profile.versions.cuda)
    base[`cuda-toolkit-${cudaDashed(profile)}`] = `${profile.versions.cuda}.89-1`;
  if (profile.kind === 'desktop-gpu' && profile.versions.cuda)
    base[`cuda-toolkit-${cudaDashed(profile)}`] = `${profile.versions.cuda}.77-1`;
  return base;
}

export function aptCatalog(profile: SimProfile): AptPackage[] {
  const cuda = cudaDashed(profile);
  const jetpack = profile.jetpack ?? '0';
  const cudaVersion = (profile.versions.cuda ?? '12.6').split('.').slice(0, 2).join('.');
  const simple = (name: string, version: string, sizeMb: number, description: string): AptPackage => ({
    name,
    version,
    sizeMb,
    depends: [],
    description,
  });
  return [
    {
      name: 'nvidia-jetpack',
      version: `${jetpack}+b50`,
      sizeMb: 40,
      depends: [`cuda-toolkit-${cuda}`, 'libcudnn-dev', 'tensorrt', 'python3-libnvinfer'],
      description: 'NVIDIA Jetpack Meta Package',
    },
    simple(`cuda-toolkit-${cuda}`, `${cudaVersion}.11-1`, 3900, 'CUDA Toolkit meta-package'),
    simple('libcudnn-dev', `${profile.versions.cudnn ?? '9.3.0'}.75-1+cuda${cudaVersion}`, 1100, 'cuDNN development files'),
    simple('tensorrt', `${profile.versions.tensorrt ?? '10.3.0'}.30-1+cuda${cudaVersion}`, 1500, 'Meta package for TensorRT'),
    simple('python3-libnvinfer', `${profile.versions.tensorrt ?? '10.3.0'}.30-1+cuda${cudaVersion}`, 4, 'Python 3 bindings for TensorRT'),
    simple('python3-pip', '22.0.2+dfsg-1ubuntu0.4', 6, 'Python package installer'),
    simple('python3-numpy', '1:1.21.5-1ubuntu22.04.1', 18, 'Fast array facility to the Python 3 language'),
    simple('python3-dev', '3.10.6-1~22.04.1', 1, 'header files and a static library for Python (default)'),
    simple('build-essential', '12.9ubuntu3', 30, 'Informational list of build-essential packages'),
    simple('cmake', '3.22.1-1ubuntu1.22.04.2', 25, 'cross-platform, open-source make system'),
    simple('git', '1:2.34.1-1ubuntu1.11', 40, 'fast, scalable, distributed revision control system'),
    simple('curl', '7.81.0-1ubuntu1.18', 1, 'command line tool for transferring data with URL syntax'),
    simple('htop', '3.0.5-7build2', 1, 'interactive processes viewer'),
    simple('nano', '6.2-1ubuntu0.1', 1, 'small, friendly text editor inspired by Pico'),
    simple('vim', '2:8.2.3995-1ubuntu2.21', 4, 'Vi IMproved - enhanced vi editor'),
    simple('libopenblas-dev', '0.3.20+ds-1', 50, 'Optimized BLAS (linear algebra) library (development files)'),
    simple('libjpeg-dev', '8c-2ubuntu10', 1, 'Independent JPEG Group JPEG library (dependency package)'),
    simple('zlib1g-dev', '1:1.2.11.dfsg-2ubuntu9.2', 1, 'compression library - development'),
    simple('libhdf5-dev', '1.10.7+repack-4ubuntu2', 60, 'HDF5 - development files - serial version'),
    simple('libomp-dev', '1:14.0-55~exp2', 1, 'LLVM OpenMP runtime - dev package'),
    // NVIDIA's JetPack 4 PyTorch wheels link against MPI (dusty-nv/jetson-inference tools/install-pytorch.sh).
    simple('libopenmpi-dev', '4.1.2-2ubuntu1', 20, 'high performance message passing library -- header files'),
    simple('python3-matplotlib', '3.5.1-2build1', 30, 'Python based plotting system in a style similar to Matlab'),
    // NVIDIA's TensorFlow prerequisites (reference §5.3) and the Caffe build dependencies
    // (jetsonhacks/installCaffeJTX1, reference §5.5), for the install recipes in resources/recipes.
    simple('libhdf5-serial-dev', '1.10.7+repack-4ubuntu2', 1, 'transitional dummy package for libhdf5-dev'),
    simple('hdf5-tools', '1.10.7+repack-4ubuntu2', 2, 'Hierarchical Data Format 5 (HDF5) - Runtime tools'),
    simple('zip', '3.0-12build2', 1, 'Archiver for .zip files'),
    simple('libjpeg8-dev', '8c-2ubuntu10', 1, 'Independent JPEG Group JPEG library (development files)'),
    simple('liblapack-dev', '3.10.0-2ubuntu1', 10, 'Library of linear algebra routines 3 - static version'),
    simple('libblas-dev', '3.10.0-2ubuntu1', 2, 'Basic Linear Algebra Subroutines 3, static library'),
    simple('gfortran', '4:11.2.0-1ubuntu1', 20, 'GNU Fortran 95 compiler'),
    simple('libprotobuf-dev', '3.12.4-1ubuntu7', 10, 'protocol buffers C++ library (development files)'),
    simple('libleveldb-dev', '1.23-3build1', 1, 'fast key-value storage library (development files)'),
    simple('libsnappy-dev', '1.1.8-1build3', 1, 'fast compression/decompression library (development files)'),
    simple('protobuf-compiler', '3.12.4-1ubuntu7', 2, 'compiler for protocol buffer definition files'),
    simple('libboost-all-dev', '1.74.0.3ubuntu7', 300, 'Boost C++ Libraries development files (ALL) (default version)'),
    simple('libatlas-base-dev', '3.10.3-12ubuntu1', 20, 'Automatically Tuned Linear Algebra Software, generic static'),
    simple('libgflags-dev', '2.2.2-2', 1, 'commandline flags module for C++ (development files)'),
    simple('libgoogle-glog-dev', '0.5.0+really0.4.0-2', 1, 'library that implements application-level logging'),
    simple('liblmdb-dev', '0.9.24-1build2', 1, 'Lightning Memory-Mapped Database development files'),
  ];
}

export function pipCatalog(profile: SimProfile): PipPackage[] {
  const generation = generationOf(profile);
  const real = (name: string, version: string, sizeMb: number, module = name): PipPackage => ({
    name,
    version,
    sizeMb,
    module,
    simulated: false,
  });
  const sim = (name: string, version: string, sizeMb: number, module: string): PipPackage => ({
    name,
    version,
    sizeMb,
    module,
    simulated: true,
  });
  // Per generation: jetson-containers pins (torch/torchvision/onnxruntime config.py), NVIDIA jp/vXX TF wheels.
  const versions = {
    jp4: { torch: '1.10.0', torchvision: '0.11.1', tensorflow: '2.7.0+nv22.1', onnxruntime: '1.11.0', jax: null, numpy: '1.19.5' },
    jp5: { torch: '2.0.0+nv23.05', torchvision: '0.15.1', tensorflow: '2.11.0+nv23.03', onnxruntime: '1.16.3', jax: null, numpy: '1.24.4' },
    jp6: { torch: '2.5.0', torchvision: '0.20.0', tensorflow: '2.17.1+nv24.07', onnxruntime: '1.19.2', jax: '0.4.28', numpy: '1.26.4' },
    desktop: { torch: '2.5.1', torchvision: '0.20.1', tensorflow: '2.17.0', onnxruntime: '1.19.2', jax: '0.4.30', numpy: '1.26.4' },
  }[generation];
  const packages: PipPackage[] = [
    sim('torch', versions.torch, 1800, 'torch'),
    sim('torchvision', versions.torchvision, 30, 'torchvision'),
    sim('tensorflow', versions.tensorflow, 1200, 'tensorflow'),
    sim('onnxruntime-gpu', versions.onnxruntime, 150, 'onnxruntime'),
    sim('pycuda', '2022.2.2', 5, 'pycuda'),
    real('numpy', versions.numpy, 20),
    real('pillow', '10.4.0', 4, 'PIL'),
    real('psutil', '6.0.0', 1),
    real('onnx', '1.16.2', 16),
    real('tqdm', '4.66.5', 1),
  ];
  if (versions.jax) packages.push(sim('jax', versions.jax, 20, 'jax'));
  // Stand-ins for the install recipes (resources/recipes): jetson-stats, Theano (JetPack 4),
  // PyTensor (Python 3.8+), and Caffe, which a real board builds from source (the simulator has
  // no compiler, so the recipe's simulator step installs this module instead).
  packages.push(sim('jetson-stats', '4.3.2', 1, 'jtop'));
  if (generation === 'jp4') packages.push(sim('Theano', '1.0.5', 10, 'theano'), sim('caffe', '1.0.0', 60, 'caffe'));
  else packages.push(sim('pytensor', '2.25.5', 10, 'pytensor'));
  if (profile.versions.tensorrt) packages.push(sim('tensorrt', profile.versions.tensorrt, 900, 'tensorrt'));
  return packages;
}

/** pip names are case-insensitive and treat `-`/`_`/`.` alike (PEP 503). */
export function normalizePipName(name: string): string {
  return name.toLowerCase().replaceAll(/[-_.]+/g, '-');
}
