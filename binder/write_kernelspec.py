"""Writes a Jupyter kernelspec for a Java kernel with Queuack loaded.

It copies an installed Java kernel's spec (JJava's, named "java" by default) and keeps all of it (argv,
language, interrupt_mode, env, metadata), then adds Queuack's self-contained jar to JJAVA_CLASSPATH and the JVM
flags Queuack needs where the kernel's JVM gets them. JJava starts the kernel in a second JVM ("java $JJAVA_JVM_OPTS
... -jar jjava.jar"), so flags in its argv would reach only its launcher: for JJava they go to JJAVA_JVM_OPTS in
"env". For a kernel that runs in the JVM its argv starts (IJava, a test kernel) they go right after "java".

Flags: --add-opens=java.base/java.nio=ALL-UNNAMED (Arrow) and --enable-native-access=ALL-UNNAMED (DuckDB), and from
Java 23 on --sun-misc-unsafe-memory-access=allow (Arrow); the Java release is read from the kernel's java.

Usage: python3 write_kernelspec.py --jar queuack-kernel-<v>-all.jar [--base java] [--name queuack]
                                   [--display-name "Java (Queuack)"] [--prefix <dir>] [--java-release N]
With --prefix the spec goes to <dir>/kernels/<name> (point JUPYTER_PATH at <dir>); otherwise to the
current environment's share/jupyter/kernels (sys.prefix), as on Binder.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

from jupyter_client.kernelspec import KernelSpecManager

ADD_OPENS = "--add-opens=java.base/java.nio=ALL-UNNAMED"
NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED"
UNSAFE_ACCESS = "--sun-misc-unsafe-memory-access=allow"


def flags(release):
    return [ADD_OPENS, NATIVE_ACCESS] + ([UNSAFE_ACCESS] if release >= 23 else [])


def java_release(java, env):
    """The feature release of the java the kernel runs on (JJava's launcher runs the "java" on its PATH)."""
    found = java if os.path.sep in java else shutil.which(java, path=env.get("PATH", os.environ.get("PATH")))
    if not found:
        sys.exit(f"Cannot find the kernel's java ({java}); give --java-release")
    shown = subprocess.run([found, "-XshowSettings:properties", "-version"], capture_output=True, text=True).stderr
    match = re.search(r"java\.specification\.version = (\d+)", shown)
    if not match:
        sys.exit(f"Cannot tell the Java release of {found}; give --java-release")
    return int(match.group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jar", required=True, help="queuack-kernel-<version>-all.jar")
    parser.add_argument("--base", default="java", help="the installed Java kernelspec to copy (default: java)")
    parser.add_argument("--name", default="queuack", help="the new kernelspec's name (default: queuack)")
    parser.add_argument("--display-name", default="Java (Queuack)")
    parser.add_argument("--prefix", help="write under <prefix>/kernels instead of sys.prefix")
    parser.add_argument("--java-release", type=int, help="the kernel's Java release (default: ask its java)")
    args = parser.parse_args()

    jar = os.path.abspath(args.jar)
    if not os.path.isfile(jar):
        sys.exit(f"No jar at {jar}: build it first (mvn -DskipTests package)")
    try:
        base = KernelSpecManager().get_kernel_spec(args.base)
    except Exception as error:  # NoSuchKernel, with the names that exist
        names = sorted(KernelSpecManager().find_kernel_specs())
        sys.exit(f"No kernelspec named '{args.base}' ({error}); installed: {names}. Install JJava first.")

    with open(os.path.join(base.resource_dir, "kernel.json")) as source:
        spec = json.load(source)
    spec["argv"] = [part.replace("{resource_dir}", base.resource_dir) for part in spec["argv"]]
    spec["display_name"] = args.display_name
    env = dict(spec.get("env") or {})
    release = args.java_release or java_release(spec["argv"][0], env)
    wanted = flags(release)
    if any("jjava-launcher" in part for part in spec["argv"]):
        present = env.get("JJAVA_JVM_OPTS", "").split()
        env["JJAVA_JVM_OPTS"] = " ".join(present + [flag for flag in wanted if flag not in present])
    else:
        spec["argv"][1:1] = [flag for flag in wanted if flag not in spec["argv"]]
    classpath = [entry for entry in env.get("JJAVA_CLASSPATH", "").split(os.pathsep) if entry]
    env["JJAVA_CLASSPATH"] = os.pathsep.join(classpath + [jar])
    spec["env"] = env

    root = os.path.join(args.prefix, "kernels") if args.prefix else os.path.join(sys.prefix, "share", "jupyter", "kernels")
    target = os.path.join(root, args.name)
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(target, "kernel.json"), "w") as out:
        json.dump(spec, out, indent=2)
    print(f"Wrote {target}/kernel.json (Java {release}: {' '.join(wanted)})")


if __name__ == "__main__":
    main()
